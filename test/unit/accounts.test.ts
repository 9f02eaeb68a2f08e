import { describe, expect, it } from 'vitest';
import { changePassword, getOwnAccount, logIn, signUp } from '../../functions/core/accounts/accounts.js';
import type { Caller } from '../../functions/core/kernel/caller.js';
import { bootstrapAdmin, setAccountStatus, setRoles } from '../../functions/core/accounts/admin.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import type { Role } from '../../functions/core/kernel/caller.js';
import { hashRefreshToken, parseRefreshToken } from '../../functions/core/sessions/session.js';
import { fakeDeps as deps } from '../support/fakes.js';
import { domainError } from '../support/expect-errors.js';

const origin = { userAgent: 'test', ip: '10.0.0.1', clientLabel: null };
const alice = { username: 'Alice', email: 'Alice@Example.com', password: 'correct horse battery' };


describe('signUp', () => {
  it('stores a player with a hashed password and opens a session whose hash matches the refresh token', async () => {
    const d = deps();
    const grant = await signUp(d, alice, origin);
    const stored = d.users.byId.get(grant.user.id);
    expect(stored?.passwordHash).toBe('hashed:correct horse battery');
    expect(stored?.roles).toEqual(['player']);
    expect(grant.user).not.toHaveProperty('passwordHash');
    const session = d.sessions.all[0];
    expect(session).toMatchObject({ userId: grant.user.id, id: grant.sessionId, ip: '10.0.0.1', userAgent: 'test', generation: 0 });
    expect(session?.tokenHash).toBe(hashRefreshToken(grant.refreshToken));
    expect(parseRefreshToken(grant.refreshToken)).toEqual({ userId: grant.user.id, sessionId: grant.sessionId });
    expect(session?.absoluteExpiresAt).toBe('2026-01-01T01:00:00.000Z');
    expect(d.tokens.issued[0]).toEqual({ userId: grant.user.id, sessionId: grant.sessionId, roles: ['player'], username: 'Alice', emailVerified: false });
  });

  it('refuses a taken username and email before spending a hash, naming both fields', async () => {
    const d = deps();
    await signUp(d, alice, origin);
    d.hasher.calls.length = 0;
    const error = await domainError(signUp(d, { ...alice, username: 'ALICE' }, origin));
    expect(error.code).toBe('USER_EXISTS');
    expect(error.errors).toEqual([
      { field: 'username', message: 'is already taken' },
      { field: 'email', message: 'is already registered' },
    ]);
    expect(d.hasher.calls).toEqual([]);
  });
});

describe('logIn', () => {
  it('logs in by username or email, case-insensitively', async () => {
    const d = deps();
    const { user } = await signUp(d, alice, origin);
    for (const login of ['alice', 'ALICE', 'alice@example.com']) {
      const grant = await logIn(d, { login, password: alice.password }, origin);
      expect(grant.user.id).toBe(user.id);
    }
  });

  it('gives the same error for unknown user, wrong password and a banned account, each after one compare', async () => {
    const d = deps();
    const { user } = await signUp(d, alice, origin);
    d.hasher.calls.length = 0;
    const unknown = await domainError(logIn(d, { login: 'nobody', password: alice.password }, origin));
    expect(d.hasher.calls).toEqual(['verifyDummy']);
    const wrong = await domainError(logIn(d, { login: 'alice', password: 'wrong password!' }, origin));
    const stored = d.users.byId.get(user.id);
    if (stored) stored.status = 'banned';
    const banned = await domainError(logIn(d, { login: 'alice', password: alice.password }, origin));
    expect(d.hasher.calls).toEqual(['verifyDummy', 'verify', 'verify']);
    for (const error of [unknown, wrong, banned]) {
      expect(error.code).toBe('INVALID_CREDENTIALS');
      expect(error.message).toBe(unknown.message);
    }
  });

  it('lets a suspended player in once the suspension has ended', async () => {
    const d = deps();
    const { user } = await signUp(d, alice, origin);
    const stored = d.users.byId.get(user.id);
    if (stored) Object.assign(stored, { status: 'suspended', statusUntil: '2025-12-31T00:00:00Z' });
    await expect(logIn(d, { login: 'alice', password: alice.password }, origin)).resolves.toBeDefined();
    if (stored) stored.statusUntil = '2026-02-01T00:00:00Z';
    expect((await domainError(logIn(d, { login: 'alice', password: alice.password }, origin))).code).toBe('INVALID_CREDENTIALS');
  });
});

describe('a login racing a change to the account', () => {
  /** Runs `change` while the login's password compare is in flight, as a bcrypt worker would allow. */
  async function raceLogin(change: (d: ReturnType<typeof deps>, userId: string, sessionId: string) => Promise<unknown>, roles: Role[] = ['player']) {
    const d = deps();
    const first = await signUp(d, alice, origin);
    const stored = d.users.byId.get(first.user.id);
    if (stored) d.users.byId.set(first.user.id, { ...stored, roles });
    const verify = d.hasher.verify.bind(d.hasher);
    let raced = false;
    d.hasher.verify = async (password, hash) => {
      const result = await verify(password, hash);
      if (!raced) {
        raced = true;
        await change(d, first.user.id, first.sessionId);
      }
      return result;
    };
    const error = await domainError(logIn(d, { login: 'alice', password: alice.password }, origin));
    const opened = d.sessions.all.find((s) => s.id !== first.sessionId);
    return { d, error, opened };
  }
  const player = (userId: string, sessionId: string): Caller => ({ subject: userId, kind: 'player', sessionId, roles: ['player'], username: 'alice' });
  const admin: Caller = { subject: 'admin-id', kind: 'player', sessionId: 'admin-session', roles: ['player', 'admin'], username: 'root' };

  it('opens no lasting session with the old password once the password changed', async () => {
    const { d, error, opened } = await raceLogin((d, id, sid) =>
      changePassword(d, player(id, sid), { currentPassword: alice.password, newPassword: 'a brand new password' }, null),
    );
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(opened?.revokedAt).not.toBeNull();
    expect(d.revocations.sessions.has(opened?.id ?? '')).toBe(true);
    expect(d.events.types()).not.toContain('userLogin');
  });

  it('gives a player banned meanwhile no session and no usable token', async () => {
    const { d, error, opened } = await raceLogin((d, id) => setAccountStatus(d, admin, id, { status: 'banned', reason: 'cheating' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(d.revocations.sessions.has(opened?.id ?? '')).toBe(true);
  });

  it('gives an admin demoted meanwhile no token with the admin role', async () => {
    const { d, error, opened } = await raceLogin((d, id) => setRoles(d, admin, id, false), ['player', 'admin']);
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(d.revocations.sessions.has(opened?.id ?? '')).toBe(true);
  });
});

describe('rehash on login', () => {
  it('re-hashes a password stored at a lower cost once the password is known, and only then', async () => {
    const d = deps();
    const { user } = await signUp(d, alice, origin);
    const oldHash = d.users.byId.get(user.id)?.passwordHash ?? '';
    d.hasher.outdated.add(oldHash);
    const etagBefore = d.users.byId.get(user.id)?.etag;
    d.hasher.calls.length = 0;
    await expect(logIn(d, { login: 'alice', password: 'wrong password!' }, origin)).rejects.toThrow();
    expect(d.hasher.calls).toEqual(['verify']);
    await logIn(d, { login: 'alice', password: alice.password }, origin);
    expect(d.hasher.calls).toEqual(['verify', 'verify', 'hash']);
    // The user record was rewritten with the fresh hash.
    expect(d.users.byId.get(user.id)?.etag).not.toBe(etagBefore);
    d.hasher.outdated.clear();
    d.hasher.calls.length = 0;
    await logIn(d, { login: 'alice', password: alice.password }, origin);
    expect(d.hasher.calls).toEqual(['verify']);
  });
});

describe('getOwnAccount', () => {
  it('answers UNAUTHENTICATED when the account is gone', async () => {
    const error = await domainError(getOwnAccount(deps(), 'missing'));
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});

describe('admin changes racing another write to the record', () => {
  const admin: Caller = { subject: 'admin-id', kind: 'player', sessionId: 'admin-session', roles: ['player', 'admin'], username: 'root' };

  /** The first update of the record fails as if a profile edit had landed between read and write. */
  function loseFirstWrite(d: ReturnType<typeof deps>): void {
    const update = d.users.update.bind(d.users);
    let lost = false;
    d.users.update = async (user) => {
      if (!lost) {
        lost = true;
        throw new DomainError('PRECONDITION_FAILED', 'stale');
      }
      return update(user);
    };
  }

  it('applies a suspension, a promotion and the first admin to the latest record instead of failing with 412', async () => {
    const d = deps();
    const { user } = await signUp(d, alice, origin);
    loseFirstWrite(d);
    expect((await setAccountStatus(d, admin, user.id, { status: 'suspended', reason: 'chat abuse' })).status).toBe('suspended');
    loseFirstWrite(d);
    expect((await setRoles(d, admin, user.id, true)).roles).toEqual(['player', 'admin']);

    const e = deps();
    const bob = await signUp(e, alice, origin);
    e.adminBootstrapToken = async () => 'let me in please';
    loseFirstWrite(e);
    const caller: Caller = { subject: bob.user.id, kind: 'player', sessionId: bob.sessionId, roles: ['player'], username: 'Alice' };
    expect((await bootstrapAdmin(e, caller, 'let me in please')).roles).toContain('admin');
  });
});
