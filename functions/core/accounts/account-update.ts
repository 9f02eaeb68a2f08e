/**
 * A full account update (username, email, password) by the owner or an admin: the compatibility
 * PUT /api/users/{id}. A password change needs the current password from the owner, and every
 * other session ends; the username and email move their claims in the repository's update.
 */
import { isAdmin, requireOwnerOrAdmin, type Caller } from '../kernel/caller.js';
import { isDomainError } from '../kernel/errors.js';
import { userEvent, type ProfileField, type UserEvent } from '../events/events.js';
import { endOtherSessions } from '../sessions/sessions.js';
import { checkOwnPassword } from './accounts.js';
import type { AccountDeps } from './deps.js';
import type { AccountUpdateInput } from './schemas.js';
import { normalizeEmail, toUserView, userNotFound, type StoredUser, type UserView } from './users.js';

export async function updateAccount(deps: AccountDeps, caller: Caller, userId: string, input: AccountUpdateInput, ip: string | null): Promise<UserView> {
  requireOwnerOrAdmin(caller, userId);
  const owner = caller.subject === userId;
  let user = await deps.users.findById(userId);
  if (!user) throw userNotFound();
  // An admin resets another's password without it; the owner proves they know the current one.
  if (input.password !== undefined && !(isAdmin(caller) && !owner)) {
    await checkOwnPassword(deps, user, input.currentPassword, ip, 'currentPassword');
  }
  const passwordHash = input.password === undefined ? undefined : await deps.hasher.hash(input.password);

  // PUT names the outcome, not a version: re-apply on the fresh record if a login's rehash or a
  // profile edit wrote in between.
  let changed: ProfileField[] = [];
  let before: StoredUser = user;
  for (let attempt = 1; ; attempt++) {
    changed = [];
    const next: StoredUser = { ...user, updatedAt: new Date(deps.clock.now()).toISOString() };
    if (input.username !== undefined && input.username !== user.username) {
      next.username = input.username;
      changed.push('username');
    }
    if (input.email !== undefined && (user.email === null || normalizeEmail(input.email) !== normalizeEmail(user.email))) {
      next.email = input.email.trim();
      changed.push('email');
    }
    if (passwordHash !== undefined) next.passwordHash = passwordHash;
    if (changed.length === 0 && passwordHash === undefined) return toUserView(user);
    try {
      before = user;
      user = await deps.users.update(next);
      break;
    } catch (error) {
      if (!isDomainError(error, 'PRECONDITION_FAILED') || attempt === 3) throw error;
      const fresh: StoredUser | null = await deps.users.findById(userId);
      if (!fresh) throw userNotFound();
      user = fresh;
    }
  }

  const timestamp = new Date(deps.clock.now()).toISOString();
  const events: UserEvent[] = [];
  if (changed.length > 0) events.push(userEvent(deps.newId(), 'userProfileUpdated', { userId, fields: changed, timestamp }));
  if (passwordHash !== undefined) {
    // The owner keeps the session they changed it from; an admin's reset ends them all.
    await endOtherSessions(deps, userId, owner ? caller.sessionId : null, 'password-changed');
    events.push(userEvent(deps.newId(), 'userPasswordChanged', { userId, timestamp }));
  }
  await deps.events.emit(events);
  if (changed.includes('username')) for (const hook of deps.lifecycle) await hook.renamed(before, user);
  await deps.profileChanged?.(userId);
  return toUserView(user);
}
