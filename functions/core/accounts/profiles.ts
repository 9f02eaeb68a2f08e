/** Reading and changing a profile: what each caller may see of a user, and the owner's changes. */
import { userEvent } from '../events/events.js';
import { isAdmin, requireOwnerOrAdmin, type Caller } from '../kernel/caller.js';
import { DomainError, validationError } from '../kernel/errors.js';
import type { AccountDeps } from './deps.js';
import type { ProfileChanges, UpdateProfileInput } from './schemas.js';
import { toAdminUserView, toPublicUserView, toUserView, userNotFound, type AdminUserView, type PublicUserView, type UserView } from './users.js';

export interface Versioned<T> {
  view: T;
  etag: string | undefined;
}

/** ETags compare without their quotes or weak marker: stores and HTTP clients differ on both. */
export function sameEtag(given: string, stored: string | undefined): boolean {
  const bare = (etag: string) => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return stored !== undefined && bare(given) === bare(stored);
}


/** Public profile for any caller; the full record for the owner; status details for admins. */
export async function getUser(deps: AccountDeps, caller: Caller, userId: string): Promise<Versioned<PublicUserView | UserView | AdminUserView>> {
  const user = await deps.users.findById(userId);
  if (!user) throw userNotFound();
  const view = isAdmin(caller) ? toAdminUserView(user) : caller.kind === 'player' && caller.subject === userId ? toUserView(user) : toPublicUserView(user);
  return { view, etag: user.etag };
}

/**
 * Applies profile changes for the owner, an admin, or a game server (the seed's update-profile
 * path). `ifMatch`, when given, must be the record's current ETag.
 */
export async function updateProfile(
  deps: AccountDeps,
  caller: Caller,
  userId: string,
  changes: ProfileChanges,
  ifMatch: string | undefined,
): Promise<Versioned<UserView>> {
  if (caller.kind !== 'service') requireOwnerOrAdmin(caller, userId);
  const user = await deps.users.findById(userId);
  if (!user) throw userNotFound();
  if (ifMatch !== undefined && ifMatch !== '*' && !sameEtag(ifMatch, user.etag)) {
    throw new DomainError('PRECONDITION_FAILED', 'The user changed since you read it (If-Match does not match its ETag); read it again.');
  }
  const updated = await deps.users.update({
    ...user,
    ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
    ...(changes.avatarUrl !== undefined ? { avatarUrl: changes.avatarUrl } : {}),
    ...(changes.email !== undefined ? { email: changes.email.trim() } : {}),
    updatedAt: new Date(deps.clock.now()).toISOString(),
  });
  const changed = (['displayName', 'avatarUrl', 'email'] as const).filter((field) => user[field] !== updated[field]);
  if (changed.length > 0) {
    await deps.events.emit([userEvent(deps.newId(), 'profileUpdated', { userId, changed, timestamp: updated.updatedAt })]);
  }
  return { view: toUserView(updated), etag: updated.etag };
}

/** POST /api/update-profile: a game server names the user; a player changes their own, or names it. */
export async function updateNamedProfile(deps: AccountDeps, caller: Caller, input: UpdateProfileInput, ifMatch: string | undefined): Promise<Versioned<UserView>> {
  const { userId, ...changes } = input;
  const target = userId ?? (caller.kind === 'player' ? caller.subject : undefined);
  if (target === undefined) throw validationError([{ field: 'userId', message: 'is required' }], 'A game server must name the user.');
  return updateProfile(deps, caller, target, changes, ifMatch);
}
