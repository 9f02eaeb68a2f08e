/** Sign-up, login, and what a player does to their own account: password change and deletion. */
import type { Caller } from '../kernel/caller.js';
import { isAdmin, requireOwnerOrAdmin } from '../kernel/caller.js';
import type { AccountDeps } from './deps.js';
import { DomainError, isDomainError, type FieldError } from '../kernel/errors.js';
import type { ChangePasswordInput, LogInInput, SignUpInput } from './schemas.js';
import { endOtherSessions, endSessionById, openSession, type TokenGrant } from '../sessions/sessions.js';
import type { SessionOrigin } from '../sessions/session.js';
import { userEvent } from '../events/events.js';
import { pendingEvents } from '../events/outbox.js';
import { enforce, tooManyRequests } from '../kernel/rate-limits.js';
import { isActive, normalizeEmail, normalizeUsername, isEmailLogin, toUserView, type StoredUser, type UserView } from './users.js';

/** One answer for unknown user, wrong password and disabled account, so none can be told apart. */
export function invalidCredentials(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'The login or password is incorrect.');
}

export async function signUp(deps: AccountDeps, input: SignUpInput, origin: SessionOrigin): Promise<TokenGrant> {
  await enforce(deps.rateLimiter, deps.limits.signUpPerIp, origin.ip);
  // Cheap point reads first, so the common duplicate is answered without spending a bcrypt hash.
  const [usernameTaken, emailTaken] = await Promise.all([
    deps.users.isTaken('username', input.username),
    deps.users.isTaken('email', input.email),
  ]);
  const taken: FieldError[] = [];
  if (usernameTaken) taken.push({ field: 'username', message: 'is already taken' });
  if (emailTaken) taken.push({ field: 'email', message: 'is already registered' });
  if (taken.length > 0) {
    throw new DomainError('USER_EXISTS', 'An account with this username or email already exists.', { errors: taken });
  }

  const now = new Date(deps.clock.now()).toISOString();
  const user: StoredUser = {
    id: deps.newId(),
    username: input.username,
    email: input.email.trim(),
    displayName: input.username,
    avatarUrl: null,
    roles: ['player'],
    status: 'active',
    statusReason: null,
    statusUntil: null,
    passwordHash: await deps.hasher.hash(input.password),
    emailVerified: false,
    pendingEmail: null,
    createdAt: now,
    updatedAt: now,
  };
  // The sign-up event is part of the user document, so the account and its event are one write.
  const signUpEvent = userEvent(deps.newId(), 'userSignUp', {
    userId: user.id,
    timestamp: user.createdAt,
    userDetails: { username: user.username, email: user.email },
  });
  const stored = await deps.users.create({ ...user, pendingEvents: pendingEvents([signUpEvent], deps.clock.now()) });
  for (const hook of deps.lifecycle) await hook.created(stored);
  const grant = await openSession(deps, stored, { ...origin, clientLabel: input.clientLabel ?? origin.clientLabel });
  await deps.requestMails([{ kind: 'verify-email', userId: stored.id }]);
  await deps.events.deliver([signUpEvent], { kind: 'user', id: stored.id, partition: stored.id });
  return grant;
}

/** The failure counter of a login: the account's id when it exists, else the name tried. */
function lockKey(login: string, user: StoredUser | null): string {
  if (user) return user.id;
  return isEmailLogin(login) ? `email:${normalizeEmail(login)}` : `username:${normalizeUsername(login)}`;
}

export async function logIn(deps: AccountDeps, input: LogInInput, origin: SessionOrigin): Promise<TokenGrant> {
  const user = await deps.users.findByLogin(input.login);
  const accountKey = lockKey(input.login, user);
  // Every attempt counts before its password is checked, so concurrent guesses cannot all pass a
  // check made before any of them failed; a success gives its counts back. Locked out: answered
  // before any password check, the same way for existing and unknown accounts.
  const { loginPerAccount, loginPerIp } = deps.limits;
  const [account, ip] = await Promise.all([
    deps.rateLimiter.consume(loginPerAccount, accountKey),
    origin.ip === null ? null : deps.rateLimiter.consume(loginPerIp, origin.ip),
  ]);
  if (!account.allowed || (ip !== null && !ip.allowed)) {
    deps.counters.add('loginsLocked');
    const waitSeconds = Math.max(account.allowed ? 0 : account.retryAfterSeconds, ip === null || ip.allowed ? 0 : ip.retryAfterSeconds);
    throw tooManyRequests(waitSeconds, 'Too many failed logins; try again later.');
  }

  let passwordMatches = false;
  // An account without a password (device or provider sign-in only) is refused like a wrong one.
  if (user === null || user.passwordHash === null) await deps.hasher.verifyDummy(input.password);
  else passwordMatches = await deps.hasher.verify(input.password, user.passwordHash);

  if (user === null || !passwordMatches || !isActive(user, deps.clock.now())) {
    deps.counters.add('loginsFailed');
    throw invalidCredentials();
  }
  await Promise.all([
    deps.rateLimiter.reset(loginPerAccount, accountKey),
    origin.ip === null ? null : deps.rateLimiter.release(loginPerIp, origin.ip),
  ]);
  // Only now, with the password right: a guesser learns nothing from this answer.
  if (deps.requireVerifiedEmail && user.emailVerified !== true) {
    throw new DomainError('EMAIL_NOT_VERIFIED', 'Verify your email address first: open the link in the mail we sent (or ask for a new one).');
  }
  const current = user.passwordHash !== null && deps.hasher.needsRehash(user.passwordHash) ? await rehash(deps, user, input.password) : user;
  // The login event is part of the new session document: one write, no crash between them.
  const loginEvent = userEvent(deps.newId(), 'userLogin', { userId: user.id, timestamp: new Date(deps.clock.now()).toISOString(), method: 'password' });
  const grant = await openSession(deps, current, { ...origin, clientLabel: input.clientLabel ?? origin.clientLabel }, [loginEvent]);
  await refuseIfChangedMeanwhile(deps, current, grant.sessionId, loginEvent.id);
  deps.counters.add('loginsOk');
  await deps.events.deliver([loginEvent], { kind: 'session', id: grant.sessionId, partition: user.id });
  return grant;
}

/**
 * A password change, suspension or demotion that landed while the password was being checked has
 * ended the sessions and tokens it could see, but not the one this login opened after it: re-read
 * the account and end that session too, so it cannot outlive the change.
 */
export async function refuseIfChangedMeanwhile(deps: AccountDeps, user: StoredUser, sessionId: string, loginEventId: string): Promise<void> {
  const fresh = await deps.users.findById(user.id);
  const unchanged =
    fresh !== null &&
    fresh.passwordHash === user.passwordHash &&
    isActive(fresh, deps.clock.now()) &&
    fresh.roles.length === user.roles.length &&
    fresh.roles.every((role) => user.roles.includes(role));
  if (unchanged) return;
  // The refused login is no login: its event leaves the session with the revocation.
  await endSessionById(deps, user.id, sessionId, 'account-changed', { withdrawId: loginEventId });
  throw invalidCredentials();
}

/** The configured cost went up since this hash was made: upgrade it now that we know the password. */
async function rehash(deps: AccountDeps, user: StoredUser, password: string): Promise<StoredUser> {
  try {
    return await deps.users.update({ ...user, passwordHash: await deps.hasher.hash(password) });
  } catch (error) {
    // A concurrent change won; the old hash still works and the next login tries again.
    if (isDomainError(error, 'PRECONDITION_FAILED')) return user;
    throw error;
  }
}

export async function getOwnAccount(deps: Pick<AccountDeps, 'users'>, userId: string): Promise<UserView> {
  const user = await deps.users.findById(userId);
  // The token outlived its account (deleted): the caller is no longer anyone.
  if (user === null) throw new DomainError('UNAUTHENTICATED', 'The account behind this token no longer exists.');
  return toUserView(user);
}

/**
 * Changes the password after checking the current one; every other session ends. An account that
 * has none yet (made by a device or provider sign-in) sets its first without a current one.
 */
export async function changePassword(deps: AccountDeps, caller: Caller, input: ChangePasswordInput, ip: string | null): Promise<void> {
  const user = await deps.users.findById(caller.subject);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The account behind this token no longer exists.');
  if (user.passwordHash === null) {
    if (input.currentPassword !== undefined) {
      throw new DomainError('VALIDATION_FAILED', 'This account has no password yet.', {
        errors: [{ field: 'currentPassword', message: 'must be left out: the account has no password yet' }],
      });
    }
    // The etag makes two first passwords set at once a conflict rather than a silent overwrite.
    await deps.users.update({ ...user, passwordHash: await deps.hasher.hash(input.newPassword), updatedAt: new Date(deps.clock.now()).toISOString() });
    return;
  }
  await checkOwnPassword(deps, user, input.currentPassword, ip, 'currentPassword');
  const updated = await deps.users.update({ ...user, passwordHash: await deps.hasher.hash(input.newPassword), updatedAt: new Date(deps.clock.now()).toISOString() });
  await endOtherSessions(deps, user.id, caller.sessionId, 'password-changed');
  await deps.events.emit([userEvent(deps.newId(), 'userPasswordChanged', { userId: user.id, timestamp: updated.updatedAt })]);
}

/** Re-checks a signed-in player's password, with the same lockout as login. */
export async function checkOwnPassword(deps: AccountDeps, user: StoredUser, password: string | undefined, ip: string | null, field: string): Promise<void> {
  // Counted before the check, as at login, so concurrent guesses cannot slip under the limit.
  const state = await deps.rateLimiter.consume(deps.limits.loginPerAccount, user.id);
  if (!state.allowed) throw tooManyRequests(state.retryAfterSeconds, 'Too many failed attempts; try again later.');
  if (password !== undefined && user.passwordHash !== null && (await deps.hasher.verify(password, user.passwordHash))) {
    await deps.rateLimiter.release(deps.limits.loginPerAccount, user.id);
    return;
  }
  if (ip !== null) await deps.rateLimiter.consume(deps.limits.loginPerIp, ip);
  throw new DomainError('VALIDATION_FAILED', 'The password is incorrect.', {
    errors: [{ field, message: password === undefined ? 'is required' : 'is incorrect' }],
  });
}

/**
 * Deletes an account: the owner confirms with their password, an admin needs none. Tokens stop
 * working first, then sessions, the user and their claims go, so the names can be taken again.
 */
export async function deleteAccount(deps: AccountDeps, caller: Caller, userId: string, password: string | undefined, ip: string | null): Promise<void> {
  requireOwnerOrAdmin(caller, userId);
  const user = await deps.users.findById(userId);
  if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
  // Without a password (a device-only account) the signed-in token is the only proof there is.
  if (!isAdmin(caller) && user.passwordHash !== null) await checkOwnPassword(deps, user, password, ip, 'password');
  await deps.revocations.revokeUser(user.id);
  await deps.sessions.deleteAllOfUser(user.id);
  await deps.users.delete(user);
  // Again, now that the account is gone: a refresh that read it after the first cutoff may have
  // rotated a session before it was deleted; its token is dated from that read, before this cutoff.
  await deps.revocations.revokeUser(user.id);
  for (const hook of deps.lifecycle) await hook.deleted(user);
  await deps.events.emit([userEvent(deps.newId(), 'userDeleted', { userId: user.id, timestamp: new Date(deps.clock.now()).toISOString() })]);
  await deps.profileChanged?.(user.id);
}
