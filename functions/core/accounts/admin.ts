/** What admins do to accounts: search, status (suspend, ban, reinstate), roles, the first admin. */
import { timingSafeEqual, createHash } from 'node:crypto';
import { requireAdmin, type Caller } from '../kernel/caller.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { Page, PageRequest } from '../kernel/paging.js';
import type { SessionView } from '../sessions/session.js';
import { endOtherSessions, endSession, listSessions } from '../sessions/sessions.js';
import { requireKnownUser } from './known-user.js';
import { userEvent } from '../events/events.js';
import type { AccountDeps } from './deps.js';
import type { AccountStatusInput } from './schemas.js';
import { userNotFound, toAdminUserView, toUserView, type AdminUserView, type StoredUser, type UserView } from './users.js';

export async function listUsers(deps: AccountDeps, caller: Caller, search: string, page: PageRequest): Promise<Page<AdminUserView>> {
  requireAdmin(caller);
  const found = await deps.users.search(search, page);
  return { items: found.items.map(toAdminUserView), cursor: found.cursor };
}

/** Suspending or banning ends every session at once; the player learns only that login fails. */
export async function setAccountStatus(deps: AccountDeps, caller: Caller, userId: string, input: AccountStatusInput): Promise<AdminUserView> {
  requireAdmin(caller);
  if (caller.subject === userId && input.status !== 'active') {
    throw new DomainError('CONFLICT', 'Admins cannot suspend or ban themselves.');
  }
  const updated = await changeUser(deps, userId, (user) => {
    return {
      ...user,
      status: input.status,
      statusReason: input.reason ?? null,
      statusUntil: input.status === 'suspended' ? (input.until ?? null) : null,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    };
  });
  if (input.status !== 'active') {
    await deps.revocations.revokeUser(userId);
    await endOtherSessions(deps, userId, null, `account-${input.status}`);
  }
  await deps.events.emit([
    userEvent(deps.newId(), 'userAccountStatusChanged', {
      userId,
      status: updated.status,
      reason: updated.statusReason,
      until: updated.statusUntil,
      timestamp: updated.updatedAt,
    }),
  ]);
  return toAdminUserView(updated);
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Makes the caller the first admin, once, with the operator's one-time bootstrap token. Later
 * admins are made by an admin with setRoles.
 */
export async function bootstrapAdmin(deps: AccountDeps, caller: Caller, token: string): Promise<UserView> {
  if (caller.kind !== 'player') throw new DomainError('FORBIDDEN', 'Only a player account can become admin.');
  const expected = await deps.adminBootstrapToken();
  if (!expected || !sameSecret(token, expected)) {
    throw new DomainError('FORBIDDEN', 'Admin bootstrap is off or the token is wrong.');
  }
  const user = await deps.users.findById(caller.subject);
  if (!user) throw userNotFound();
  if (!(await deps.users.markOnce('admin-bootstrap'))) {
    throw new DomainError('CONFLICT', 'The first admin was already created; ask an admin instead.');
  }
  // The once-mark is spent: a concurrent write to the record must not leave the deployment adminless.
  const updated = await changeUser(deps, user.id, (current) => ({
    ...current,
    roles: current.roles.includes('admin') ? current.roles : [...current.roles, 'admin' as const],
    updatedAt: new Date(deps.clock.now()).toISOString(),
  }));
  await deps.events.emit([userEvent(deps.newId(), 'userRolesChanged', { userId: updated.id, roles: [...updated.roles], timestamp: updated.updatedAt })]);
  return toUserView(updated);
}

/** Admins grant and take roles; a player role always stays, and game-server is for clients only. */
export async function setRoles(deps: AccountDeps, caller: Caller, userId: string, admin: boolean): Promise<AdminUserView> {
  requireAdmin(caller);
  if (caller.subject === userId && !admin) throw new DomainError('CONFLICT', 'Admins cannot remove their own admin role.');
  const roles = admin ? (['player', 'admin'] as const) : (['player'] as const);
  let wasAdmin = false;
  const updated = await changeUser(deps, userId, (user) => {
    wasAdmin = user.roles.includes('admin');
    return { ...user, roles: [...roles], updatedAt: new Date(deps.clock.now()).toISOString() };
  });
  // Tokens carry roles; a demoted admin's outstanding tokens must stop working now, not in 15 minutes.
  if (!admin && wasAdmin) await deps.revocations.revokeUser(userId);
  if (admin !== wasAdmin) {
    await deps.events.emit([userEvent(deps.newId(), 'userRolesChanged', { userId, roles: [...updated.roles], timestamp: updated.updatedAt })]);
  }
  return toAdminUserView(updated);
}

/**
 * Applies an admin's change to the latest record, again if a concurrent write (a profile edit, a
 * login's rehash) got there first: the admin asked for an outcome, not for one version of the record.
 */
async function changeUser(deps: AccountDeps, userId: string, change: (user: StoredUser) => StoredUser): Promise<StoredUser> {
  for (let attempt = 1; ; attempt++) {
    const user = await deps.users.findById(userId);
    if (!user) throw userNotFound();
    try {
      return await deps.users.update(change(user));
    } catch (error) {
      if (!isDomainError(error, 'PRECONDITION_FAILED') || attempt === 3) throw error;
    }
  }
}

/** A player's live sessions as support sees them (devices, addresses, when last used). */
export async function listSessionsOf(deps: AccountDeps, caller: Caller, userId: string, page: PageRequest): Promise<Page<SessionView>> {
  requireAdmin(caller);
  await requireKnownUser(deps.users, caller, userId);
  return listSessions(deps, userId, null, page);
}

/** Ends one of a player's sessions: its refresh token and access tokens stop working at once. */
export async function endSessionOf(deps: AccountDeps, caller: Caller, userId: string, sessionId: string): Promise<void> {
  requireAdmin(caller);
  await endSession(deps, userId, sessionId, 'ended-by-admin');
}

/** Ends every session of a player (a stolen device, say); returns how many ended. */
export async function endAllSessionsOf(deps: AccountDeps, caller: Caller, userId: string): Promise<number> {
  requireAdmin(caller);
  await requireKnownUser(deps.users, caller, userId);
  return endOtherSessions(deps, userId, null, 'ended-by-admin');
}
