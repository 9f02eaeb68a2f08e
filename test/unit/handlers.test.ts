/**
 * HTTP handlers called as the host calls them, with fake services: no process.env, no servers.
 * What the handler adds to its use case (parsing, authentication, the answer's shape) is tested here.
 */
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { StatsRepository } from '../../functions/core/activity/stats.js';
import { signUp } from '../../functions/core/accounts/accounts.js';
import type { Caller } from '../../functions/core/kernel/caller.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import type { AccessTokenClaims } from '../../functions/core/sessions/ports.js';
import { activityStats } from '../../functions/http/activity/activity-stats.js';
import { login } from '../../functions/http/accounts/login.js';
import { fakeDeps } from '../support/fakes.js';

const origin = { userAgent: null, ip: '203.0.113.9', clientLabel: null };

function post(url: string, body: unknown): HttpRequest {
  return new HttpRequest({ method: 'POST', url, body: { string: JSON.stringify(body) }, headers: { 'content-type': 'application/json' } });
}

/** Accepts "Bearer as.<userId>[.admin|.server]" as that caller. */
function trustingTokens(): { verify(token: string): Promise<AccessTokenClaims>; issue: never } {
  return {
    async verify(token) {
      const [, sub = '', kind] = token.split('.');
      const roles = kind === 'admin' ? (['player', 'admin'] as const) : kind === 'server' ? (['game-server'] as const) : (['player'] as const);
      return { sub, sid: null, roles: [...roles], username: null, jti: 'j', iat: 0, exp: 1 };
    },
    issue: undefined as never,
  };
}

describe('login handler', () => {
  it('answers 200 with the token grant for a good password', async () => {
    const deps = fakeDeps();
    await signUp(deps, { username: 'ada', email: 'ada@example.com', password: 'correct horse battery' }, origin);
    const response = await login(post('http://localhost/api/login', { login: 'ada', password: 'correct horse battery' }), { accounts: deps });
    expect(response.status).toBe(200);
    expect(response.jsonBody).toMatchObject({ tokenType: 'Bearer', user: { username: 'ada' } });
    expect(deps.events.types()).toContain('userLogin');
  });

  it('names the missing field of a bad body before any use case runs', async () => {
    const deps = fakeDeps();
    const refused = await login(post('http://localhost/api/login', { login: 'ada' }), { accounts: deps }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).errors).toEqual([{ field: 'password', message: 'is required' }]);
    expect(deps.rateLimiter.calls).toEqual([]);
  });
});

describe('activity stats handler', () => {
  const stats: StatsRepository = {
    async read(userId: string) {
      return { stats: { userId, total: 3, counts: { kill: 3 }, lastActivity: null, updatedAt: '2026-01-01T00:00:00.000Z', watermark: '7' }, etag: '"1"' };
    },
    async write() {
      return true;
    },
  } as unknown as StatsRepository;

  function services(seen: Caller[] = []) {
    const deps = fakeDeps();
    return {
      seen,
      accounts: { ...deps, tokens: trustingTokens() },
      onAuthenticated: [async (caller: Caller) => void seen.push(caller)],
      activity: { stats, users: deps.users },
      matches: { players: { readStats: async () => ({ stats: null, etag: null }) } as never },
    };
  }

  it("shows a player their own counters without the sync's watermark, and runs the authentication hooks", async () => {
    const s = services();
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/users/u1/stats', params: { id: 'u1' }, headers: { authorization: 'Bearer as.u1' } });
    const response = await activityStats(request, s);
    expect(response.status).toBe(200);
    expect(response.jsonBody).toMatchObject({ userId: 'u1', total: 3, counts: { kill: 3 }, lastActivity: null, updatedAt: '2026-01-01T00:00:00.000Z', matches: { gamesPlayed: 0 } });
    expect(response.jsonBody).not.toHaveProperty('watermark');
    expect(s.seen.map((c) => c.subject)).toEqual(['u1']);
  });

  it("refuses another player's counters with 403", async () => {
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/users/u2/stats', params: { id: 'u2' }, headers: { authorization: 'Bearer as.u1' } });
    await expect(activityStats(request, services())).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
