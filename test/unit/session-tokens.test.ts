/** Refresh rotation, reuse detection, the grace window and expiry, on the use cases with fakes. */
import { describe, expect, it } from 'vitest';
import { deleteAccount, logIn, signUp } from '../../functions/core/accounts/accounts.js';
import { setAccountStatus, setRoles } from '../../functions/core/accounts/admin.js';
import type { Caller } from '../../functions/core/kernel/caller.js';
import type { AccessTokenClaims, AccessTokenSubject } from '../../functions/core/sessions/ports.js';
import { endOtherSessions, listSessions, logOut, refresh } from '../../functions/core/sessions/sessions.js';
import { newRefreshToken } from '../../functions/core/sessions/session.js';
import { FakeRevocations, FakeTokens, fakeDeps } from '../support/fakes.js';
import { domainError } from '../support/expect-errors.js';

const origin = { userAgent: 'ua', ip: '10.0.0.1', clientLabel: null };
const player = { username: 'alice', email: 'alice@example.com', password: 'correct horse battery' };


async function setup() {
  const deps = fakeDeps();
  const grant = await signUp(deps, player, origin);
  return { deps, grant };
}

describe('refresh', () => {
  it('rotates: a new pair, the old token retired, lastUsedAt moved', async () => {
    const { deps, grant } = await setup();
    deps.clock.ms += 60_000;
    const next = await refresh(deps, grant.refreshToken, '10.0.0.1');
    expect(next.refreshToken).not.toBe(grant.refreshToken);
    expect(next.sessionId).toBe(grant.sessionId);
    expect(next.accessToken).not.toBe(grant.accessToken);
    const session = await deps.sessions.get(grant.user.id, grant.sessionId);
    expect(session?.generation).toBe(1);
    expect(session?.retiredTokenHashes).toHaveLength(1);
    expect(session?.lastUsedAt).toBe(new Date(deps.clock.ms).toISOString());
  });

  it('returns the same successor for a retry inside the grace window', async () => {
    const { deps, grant } = await setup();
    const first = await refresh(deps, grant.refreshToken, null);
    deps.clock.ms += 9_000;
    const retry = await refresh(deps, grant.refreshToken, null);
    expect(retry.refreshToken).toBe(first.refreshToken);
    expect((await deps.sessions.get(grant.user.id, grant.sessionId))?.generation).toBe(1);
  });

  it('revokes the family when a rotated token comes back after the grace window', async () => {
    const { deps, grant } = await setup();
    const first = await refresh(deps, grant.refreshToken, null);
    deps.clock.ms += 11_000;
    expect((await domainError(refresh(deps, grant.refreshToken, null))).code).toBe('UNAUTHENTICATED');
    // The thief's replay ended the session: the legitimate successor is dead too.
    expect((await domainError(refresh(deps, first.refreshToken, null))).code).toBe('UNAUTHENTICATED');
    const session = await deps.sessions.get(grant.user.id, grant.sessionId);
    expect(session?.revokedReason).toBe('refresh-token-reuse');
    expect(deps.revocations.sessions.has(grant.sessionId)).toBe(true);
  });

  it('treats an older generation as a replay too', async () => {
    const { deps, grant } = await setup();
    const t1 = await refresh(deps, grant.refreshToken, null);
    deps.clock.ms += 1_000;
    await refresh(deps, t1.refreshToken, null);
    deps.clock.ms += 1_000;
    await domainError(refresh(deps, grant.refreshToken, null));
    expect((await deps.sessions.get(grant.user.id, grant.sessionId))?.revokedAt).not.toBeNull();
  });

  it('refuses a forged secret for a real session without ending it', async () => {
    const { deps, grant } = await setup();
    const forged = newRefreshToken(grant.user.id, grant.sessionId);
    await domainError(refresh(deps, forged, null));
    expect((await deps.sessions.get(grant.user.id, grant.sessionId))?.revokedAt).toBeNull();
    await expect(refresh(deps, grant.refreshToken, null)).resolves.toBeDefined();
  });

  it('refuses garbage, unknown sessions, and expired sessions (idle and absolute)', async () => {
    const { deps, grant } = await setup();
    await domainError(refresh(deps, 'rt_nope', null));
    await domainError(refresh(deps, newRefreshToken(grant.user.id, '11111111-1111-4111-8111-111111111111'), null));
    deps.clock.ms += 1_801_000; // idle TTL is 1800 s in the fakes
    await domainError(refresh(deps, grant.refreshToken, null));

    const other = fakeDeps();
    const g = await signUp(other, player, origin);
    let token = g.refreshToken;
    for (let i = 0; i < 4; i++) {
      other.clock.ms += 1_000_000; // under the idle TTL each time, past the absolute 3600 s in total
      if (i < 3) token = (await refresh(other, token, null)).refreshToken;
      else expect((await domainError(refresh(other, token, null))).code).toBe('UNAUTHENTICATED');
    }
  });

  it('gives two concurrent refreshes of the same token the same successor', async () => {
    const { deps, grant } = await setup();
    const [a, b] = await Promise.all([refresh(deps, grant.refreshToken, null), refresh(deps, grant.refreshToken, null)]);
    expect(a.refreshToken).toBe(b.refreshToken);
    expect((await deps.sessions.get(grant.user.id, grant.sessionId))?.generation).toBe(1);
  });

  it('ends the session when the account was banned meanwhile', async () => {
    const { deps, grant } = await setup();
    const stored = deps.users.byId.get(grant.user.id);
    if (stored) stored.status = 'banned';
    await domainError(refresh(deps, grant.refreshToken, null));
    expect((await deps.sessions.get(grant.user.id, grant.sessionId))?.revokedReason).toBe('account-disabled');
  });

  it('is rate limited per IP', async () => {
    const { deps, grant } = await setup();
    deps.limits.refreshPerIp.max = 1;
    await refresh(deps, grant.refreshToken, '1.1.1.1');
    const error = await domainError(refresh(deps, grant.refreshToken, '1.1.1.1'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(900);
  });
});

describe('a refresh racing a change to the account', () => {
  /** The deny list as Redis keeps it: a per-user cutoff second that covers tokens issued in it or before. */
  class CutoffRevocations extends FakeRevocations {
    readonly cutoffs = new Map<string, number>();
    constructor(private readonly clock: { now(): number }) {
      super();
    }
    override async revokeUser(userId: string): Promise<void> {
      await super.revokeUser(userId);
      this.cutoffs.set(userId, Math.floor(this.clock.now() / 1000));
    }
    override async isRevoked(claims: AccessTokenClaims): Promise<boolean> {
      const cutoff = this.cutoffs.get(claims.sub);
      return (cutoff !== undefined && claims.iat <= cutoff) || (claims.sid !== null && this.sessions.has(claims.sid));
    }
  }

  /** Tokens dated as the JWT adapter dates them, keeping the claims of each. */
  class DatedTokens extends FakeTokens {
    readonly claims: AccessTokenClaims[] = [];
    constructor(private readonly clock: { now(): number }) {
      super();
    }
    override async issue(subject: AccessTokenSubject) {
      const issued = await super.issue(subject);
      const iat = Math.floor((subject.accountReadAtMs ?? this.clock.now()) / 1000);
      const claims = { ...issued.claims, iat, exp: iat + 900 };
      this.claims.push(claims);
      return { ...issued, claims };
    }
  }

  const admin: Caller = { subject: 'admin-id', kind: 'player', sessionId: 'admin-session', roles: ['player', 'admin'], username: 'root' };

  async function racing() {
    const deps = { ...fakeDeps() };
    const revocations = new CutoffRevocations(deps.clock);
    const tokens = new DatedTokens(deps.clock);
    const d = { ...deps, revocations, tokens };
    const grant = await signUp(d, player, origin);
    return { d, grant, revocations, tokens };
  }

  it('gives an admin demoted after the refresh read the account no admin token that outlives the demotion', async () => {
    const { d, grant, revocations, tokens } = await racing();
    const stored = d.users.byId.get(grant.user.id);
    if (stored) d.users.byId.set(grant.user.id, { ...stored, roles: ['player', 'admin'] });
    const findById = d.users.findById.bind(d.users);
    let raced = false;
    d.users.findById = async (id) => {
      const read = await findById(id);
      if (!raced) {
        raced = true;
        // The demotion lands between the refresh's read and its signature, which falls in a later second.
        await setRoles(d, admin, id, false);
        d.clock.ms += 1_000;
      }
      return read;
    };
    const refreshed = await refresh(d, grant.refreshToken, null);
    const claims = tokens.claims.at(-1);
    expect(refreshed.user.roles).toContain('admin');
    expect(claims?.roles).toContain('admin');
    expect(claims && (await revocations.isRevoked(claims))).toBe(true);
    // The next refresh reads the demoted account.
    d.clock.ms += 1_000;
    expect((await refresh(d, refreshed.refreshToken, null)).user.roles).toEqual(['player']);
  });

  it('gives a player whose account is deleted during the refresh no token that outlives the deletion', async () => {
    const { d, grant, revocations, tokens } = await racing();
    const revokeUser = revocations.revokeUser.bind(revocations);
    let firstCutoff: number | undefined;
    revocations.revokeUser = async (userId) => {
      await revokeUser(userId);
      if (firstCutoff === undefined) {
        firstCutoff = revocations.cutoffs.get(userId);
        // After the deletion's first cutoff, before its sessions and account are gone: a whole refresh, a second later.
        d.clock.ms += 1_000;
        await refresh(d, grant.refreshToken, null);
      }
    };
    await deleteAccount(d, { subject: grant.user.id, kind: 'player', sessionId: grant.sessionId, roles: ['player'], username: 'alice' }, grant.user.id, player.password, null);
    const claims = tokens.claims.at(-1);
    expect(claims?.iat).toBeGreaterThan(firstCutoff ?? Infinity);
    expect(claims && (await revocations.isRevoked(claims))).toBe(true);
  });

  it('gives a player banned after the refresh read the account no token that outlives the ban', async () => {
    const { d, grant, revocations, tokens } = await racing();
    const findById = d.users.findById.bind(d.users);
    let raced = false;
    d.users.findById = async (id) => {
      const read = await findById(id);
      if (!raced) {
        raced = true;
        await setAccountStatus(d, admin, id, { status: 'banned', reason: 'cheating' });
        d.clock.ms += 1_000;
      }
      return read;
    };
    // The ban's write to the session came first, so the refresh's rotation loses and re-reads a revoked session.
    await domainError(refresh(d, grant.refreshToken, null));
    expect(tokens.claims).toHaveLength(1); // the sign-up's
    expect(revocations.sessions.has(grant.sessionId)).toBe(true);
  });
});

describe('logout and sessions', () => {
  it('logout ends the session and denies its access tokens', async () => {
    const { deps, grant } = await setup();
    await logOut(deps, grant.user.id, grant.sessionId);
    expect(deps.revocations.sessions.has(grant.sessionId)).toBe(true);
    await domainError(refresh(deps, grant.refreshToken, null));
  });

  it('lists live sessions, marks the current one, and ends the others', async () => {
    const { deps, grant } = await setup();
    await logIn(deps, { login: 'alice', password: player.password }, origin);
    await logIn(deps, { login: 'alice', password: player.password }, origin);
    const page = await listSessions(deps, grant.user.id, grant.sessionId, { limit: 10 });
    expect(page.items).toHaveLength(3);
    expect(page.items.filter((s) => s.current).map((s) => s.id)).toEqual([grant.sessionId]);
    expect(await endOtherSessions(deps, grant.user.id, grant.sessionId, 'test')).toBe(2);
    const after = await listSessions(deps, grant.user.id, grant.sessionId, { limit: 10 });
    expect(after.items.map((s) => s.id)).toEqual([grant.sessionId]);
  });
});

describe('login throttling', () => {
  it('locks an account after the limit of failures with the same answer as an unknown login, and a success resets it', async () => {
    const { deps } = await setup();
    for (let i = 0; i < 2; i++) await domainError(logIn(deps, { login: 'alice', password: 'wrong password!' }, origin));
    await logIn(deps, { login: 'alice', password: player.password }, origin);
    for (let i = 0; i < 3; i++) await domainError(logIn(deps, { login: 'alice', password: 'wrong password!' }, origin));
    deps.hasher.calls.length = 0;
    const locked = await domainError(logIn(deps, { login: 'alice', password: player.password }, origin));
    expect(locked.code).toBe('RATE_LIMITED');
    expect(deps.hasher.calls).toEqual([]);
    for (let i = 0; i < 3; i++) await domainError(logIn(deps, { login: 'ghost', password: 'wrong password!' }, origin));
    const ghost = await domainError(logIn(deps, { login: 'ghost', password: 'whatever it is' }, origin));
    expect(ghost.code).toBe(locked.code);
    expect(ghost.message).toBe(locked.message);
    expect(ghost.retryAfterSeconds).toBe(locked.retryAfterSeconds);
  });

  it('lets no more concurrent guesses through than the limit allows (counted before the compare)', async () => {
    const { deps } = await setup();
    deps.hasher.calls.length = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => domainError(logIn(deps, { login: 'alice', password: 'wrong password!' }, origin))),
    );
    expect(results.filter((e) => e.code === 'INVALID_CREDENTIALS')).toHaveLength(3);
    expect(results.filter((e) => e.code === 'RATE_LIMITED')).toHaveLength(7);
    expect(deps.hasher.calls).toEqual(['verify', 'verify', 'verify']);
    const ghosts = await Promise.all(
      Array.from({ length: 10 }, () => domainError(logIn(deps, { login: 'ghost', password: 'wrong password!' }, origin))),
    );
    expect(ghosts.filter((e) => e.code === 'INVALID_CREDENTIALS')).toHaveLength(3);
  });

  it('counts only failures per IP: successful logins do not use up the IP limit', async () => {
    const { deps } = await setup();
    deps.limits.loginPerIp.max = 2;
    for (let i = 0; i < 5; i++) await logIn(deps, { login: 'alice', password: player.password }, origin);
    for (let i = 0; i < 2; i++) await domainError(logIn(deps, { login: `ghost${i}`, password: 'wrong password!' }, origin));
    expect((await domainError(logIn(deps, { login: 'alice', password: player.password }, origin))).code).toBe('RATE_LIMITED');
  });

  it('counts username and email logins of one account together', async () => {
    const { deps } = await setup();
    await domainError(logIn(deps, { login: 'alice', password: 'wrong password!' }, origin));
    await domainError(logIn(deps, { login: 'ALICE@example.com', password: 'wrong password!' }, origin));
    await domainError(logIn(deps, { login: 'Alice', password: 'wrong password!' }, origin));
    expect((await domainError(logIn(deps, { login: 'alice@example.com', password: player.password }, origin))).code).toBe('RATE_LIMITED');
  });
});
