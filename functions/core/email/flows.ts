/**
 * The email flows: verifying the address, resending the link, forgot/reset password and confirming
 * an email change. Each link token is redeemed (used up) first, then checked against the account as it is now.
 */
import type { AccountDeps } from '../accounts/deps.js';
import { normalizeEmail, toUserView, type StoredUser, type UserView } from '../accounts/users.js';
import { userEvent } from '../events/events.js';
import { requirePlayer, type Caller } from '../kernel/caller.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import { enforce } from '../kernel/rate-limits.js';
import { endOtherSessions } from '../sessions/sessions.js';
import type { EmailDeps } from './deps.js';
import { requestMails } from './delivery.js';
import type { ForgotPasswordInput, ResetPasswordInput, TokenInput } from './schemas.js';
import { invalidLinkToken, redeemLinkToken } from './tokens.js';
import type { TokenPurpose } from './ports.js';

export interface EmailFlowDeps {
  accounts: AccountDeps;
  email: EmailDeps;
}

/** What forgot-password answers, known address or not. */
export const FORGOT_PASSWORD_ANSWER = { message: 'If an account has this address, a mail with a reset link is on its way.' } as const;

/** The account a redeemed token names, if it still has the address the token was made for. */
async function tokenAccount(deps: EmailFlowDeps, token: string, purpose: TokenPurpose): Promise<{ user: StoredUser; email: string }> {
  const record = await redeemLinkToken(deps.email.tokens, token, purpose);
  const user = await deps.accounts.users.findById(record.userId);
  const expected = purpose === 'email-change' ? user?.pendingEmail : user?.email;
  if (!user || !expected || normalizeEmail(expected) !== normalizeEmail(record.email)) throw invalidLinkToken();
  return { user, email: record.email };
}

/** Writes a change on the freshest copy; a concurrent write (etag) makes it re-read and redo. */
async function updateUser(deps: EmailFlowDeps, user: StoredUser, change: (user: StoredUser) => StoredUser | null): Promise<StoredUser> {
  let current = user;
  for (let attempt = 0; ; attempt++) {
    const next = change(current);
    if (next === null) throw invalidLinkToken();
    try {
      return await deps.accounts.users.update({ ...next, updatedAt: new Date(deps.accounts.clock.now()).toISOString() });
    } catch (error) {
      if (!isDomainError(error, 'PRECONDITION_FAILED') || attempt >= 4) throw error;
      const fresh = await deps.accounts.users.findById(user.id);
      if (!fresh) throw invalidLinkToken();
      current = fresh;
    }
  }
}

/** POST /api/email/verify: the link of the verification mail. */
export async function verifyEmail(deps: EmailFlowDeps, input: TokenInput): Promise<UserView> {
  const { user, email } = await tokenAccount(deps, input.token, 'verify-email');
  const updated = await updateUser(deps, user, (u) => (normalizeEmail(u.email) === normalizeEmail(email) ? { ...u, emailVerified: true } : null));
  return toUserView(updated);
}

/** POST /api/email/verify/resend: another verification mail, a few per account per window. */
export async function resendVerification(deps: EmailFlowDeps, caller: Caller): Promise<void> {
  requirePlayer(caller);
  await enforce(deps.accounts.rateLimiter, deps.email.settings.limits.resendPerAccount, caller.subject);
  const user = await deps.accounts.users.findById(caller.subject);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The account behind this token no longer exists.');
  if (user.emailVerified === true) throw new DomainError('CONFLICT', 'The email address is already verified.');
  await requestMails(deps.email, [{ kind: 'verify-email', userId: user.id }]);
}

/**
 * POST /api/password/forgot: the same work and answer whether or not the address has an account.
 * The request only queues the job; whether a mail goes out is decided when it is sent.
 */
export async function forgotPassword(deps: EmailFlowDeps, input: ForgotPasswordInput, ip: string | null): Promise<typeof FORGOT_PASSWORD_ANSWER> {
  const { limits } = deps.email.settings;
  await enforce(deps.accounts.rateLimiter, limits.forgotPerIp, ip);
  await enforce(deps.accounts.rateLimiter, limits.forgotPerAddress, normalizeEmail(input.email));
  await requestMails(deps.email, [{ kind: 'password-reset', address: input.email.trim() }]);
  return FORGOT_PASSWORD_ANSWER;
}

/** POST /api/password/reset: new password, every session ended, lockout cleared, an event and a notice. */
export async function resetPassword(deps: EmailFlowDeps, input: ResetPasswordInput): Promise<void> {
  const { accounts } = deps;
  const { user, email } = await tokenAccount(deps, input.token, 'password-reset');
  const passwordHash = await accounts.hasher.hash(input.newPassword);
  await updateUser(deps, user, (u) => (normalizeEmail(u.email) === normalizeEmail(email) ? { ...u, passwordHash } : null));
  // Access tokens first (they are self-contained), then the refresh-token sessions.
  await accounts.revocations.revokeUser(user.id);
  await endOtherSessions(accounts, user.id, null, 'password-reset');
  await accounts.rateLimiter.reset(accounts.limits.loginPerAccount, user.id);
  await accounts.events.emit([userEvent(accounts.newId(), 'userPasswordReset', { userId: user.id, timestamp: new Date(accounts.clock.now()).toISOString() })]);
  await requestMails(deps.email, [{ kind: 'password-changed', userId: user.id }]);
}

/**
 * POST /api/email/change/confirm: the new address takes over. The repository claims the new
 * address before it writes the user and releases the old one after, so a racing sign-up or change
 * to the same address loses with USER_EXISTS and the account always holds the claim of its address.
 */
export async function confirmEmailChange(deps: EmailFlowDeps, input: TokenInput): Promise<UserView> {
  const { user, email } = await tokenAccount(deps, input.token, 'email-change');
  const updated = await updateUser(deps, user, (u) =>
    u.pendingEmail && normalizeEmail(u.pendingEmail) === normalizeEmail(email) ? { ...u, email, pendingEmail: null, emailVerified: true } : null,
  );
  return toUserView(updated);
}
