/** The email rules around accounts, with fakes: the verified-email login gate and the email-change request. */
import { describe, expect, it } from 'vitest';
import { logIn, signUp } from '../../functions/core/accounts/accounts.js';
import { updateProfile } from '../../functions/core/accounts/profiles.js';
import { hashLinkToken, newLinkToken } from '../../functions/core/email/tokens.js';
import { renderMail, DEFAULT_TEMPLATES, linkFor } from '../../functions/core/email/templates.js';
import { fakeDeps } from '../support/fakes.js';

const origin = { ip: '203.0.113.5', userAgent: null, clientLabel: null };
const alice = { username: 'alice', email: 'alice@example.com', password: 'correct horse battery' };

describe('REQUIRE_VERIFIED_EMAIL', () => {
  it('refuses an unverified account with its own code, only after the password was right', async () => {
    const deps = { ...fakeDeps(), requireVerifiedEmail: true };
    await signUp(deps, alice, origin);
    await expect(logIn(deps, { login: 'alice', password: 'wrong password!' }, origin)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(logIn(deps, { login: 'nobody', password: 'wrong password!' }, origin)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(logIn(deps, { login: 'alice', password: alice.password }, origin)).rejects.toMatchObject({ code: 'EMAIL_NOT_VERIFIED' });
    const user = await deps.users.findByLogin('alice');
    await deps.users.update({ ...user!, emailVerified: true });
    await expect(logIn(deps, { login: 'alice', password: alice.password }, origin)).resolves.toMatchObject({ user: { emailVerified: true } });
  });

  it('is off by default: unverified accounts log in, and sign-up asks for a verification mail', async () => {
    const deps = fakeDeps();
    const grant = await signUp(deps, alice, origin);
    expect(grant.user.emailVerified).toBe(false);
    expect(deps.requestedMails).toEqual([{ kind: 'verify-email', userId: grant.user.id }]);
    await expect(logIn(deps, { login: 'alice', password: alice.password }, origin)).resolves.toBeDefined();
  });
});

describe('email change request', () => {
  it('keeps the address, records the pending one and asks for a confirmation and a notice', async () => {
    const deps = fakeDeps();
    const grant = await signUp(deps, alice, origin);
    const caller = { subject: grant.user.id, kind: 'player' as const, sessionId: grant.sessionId, roles: ['player' as const], username: 'alice' };
    const { view } = await updateProfile(deps, caller, grant.user.id, { email: 'new@example.com' }, undefined);
    expect(view).toMatchObject({ email: 'alice@example.com', pendingEmail: 'new@example.com' });
    expect(deps.requestedMails.slice(1)).toEqual([
      { kind: 'email-change-confirm', userId: grant.user.id, newEmail: 'new@example.com' },
      { kind: 'email-change-notice', userId: grant.user.id, address: 'alice@example.com', newEmail: 'new@example.com' },
    ]);
    // A change of case only is no move: applied at once, no mail.
    const { view: cased } = await updateProfile(deps, caller, grant.user.id, { email: 'Alice@Example.com' }, undefined);
    expect(cased).toMatchObject({ email: 'Alice@Example.com', pendingEmail: null });
    expect(deps.requestedMails).toHaveLength(3);
  });
});

describe('link tokens and templates', () => {
  it('are 256 random bits, stored as a hash that does not contain them', () => {
    const token = newLinkToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hashLinkToken(token)).not.toContain(token);
    expect(newLinkToken()).not.toBe(token);
  });

  it('escape values in HTML only and put the token in the fragment', () => {
    const link = linkFor('https://play.example.com/', 'verify-email', 'abc');
    expect(link).toBe('https://play.example.com/verify-email#token=abc');
    const mail = renderMail(DEFAULT_TEMPLATES, 'verify-email', 'a@example.com', { product: 'Game', username: '<b>x</b>', link });
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail.text).toContain('<b>x</b>');
    expect(mail.subject).toBe('Verify your email for Game');
  });
});
