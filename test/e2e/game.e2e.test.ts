/** Matches, stats, leaderboards and the wallet over HTTP, from the README's local stack defaults. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForEvents } from '../support/events.js';
import { gameServerToken, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

const BOOTSTRAP = 'bootstrap-token-for-the-game-e2e-tests';
let stack: Stack;
let server: string;
let admin: Grant;

beforeAll(async () => {
  stack = await startStack({
    label: 'game',
    env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP, LEADERBOARD_RESET_SCHEDULE: '0 0 0 1 1 *', MATCH_REPAIR_SCHEDULE: '0 0 0 1 1 *' },
  });
  server = await gameServerToken(stack);
  const first = await signUp(stack);
  expect((await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token: BOOTSTRAP } })).status).toBe(200);
  admin = (await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: first.refreshToken } })).body;
});
afterAll(async () => {
  await stack?.stop();
});

describe('a reported match', () => {
  it("shows in the players' stats, ranks, wallets, history and audit trails, once", async () => {
    const [winner, loser] = [await signUp(stack), await signUp(stack)];
    const matchId = `e2e-${randomUUID()}`;
    const players = [{ userId: winner.user.id, team: 'red' }, { userId: loser.user.id, team: 'blue' }];
    expect((await call(`${stack.api}/matches/${matchId}`, { method: 'PUT', token: server, body: { mode: 'duel', players, state: { round: 1 } } })).status).toBe(201);
    expect((await call(`${stack.api}/matches/${matchId}`, { method: 'PUT', token: server, body: { mode: 'duel', players, state: { round: 2 } } })).status).toBe(200);
    expect((await call(`${stack.api}/matches/${matchId}`, { token: server })).body).toMatchObject({ id: matchId, mode: 'duel', state: { round: 2 } });

    const result = {
      results: [
        { userId: winner.user.id, outcome: 'win', score: 1200, earnings: { gold: 50 }, stats: { kills: 9 } },
        { userId: loser.user.id, outcome: 'loss', score: 700, earnings: { gold: 5 }, stats: { kills: 3 } },
      ],
    };
    const first = await call(`${stack.api}/matches/${matchId}/result`, { token: server, body: result });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ replayed: false, match: { id: matchId, mode: 'duel', status: 'applied' } });
    const again = await Promise.all(Array.from({ length: 3 }, () => call(`${stack.api}/matches/${matchId}/result`, { token: server, body: result })));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    const different = await call(`${stack.api}/matches/${matchId}/result`, { token: server, body: { results: [{ userId: winner.user.id, outcome: 'loss' }] } });
    expect(different.status).toBe(409);
    expect((await call(`${stack.api}/matches/${matchId}`, { token: server })).status).toBe(404);
    expect((await call(`${stack.api}/matches/${matchId}`, { method: 'PUT', token: server, body: { mode: 'duel', players } })).status).toBe(409);

    const stats = await call(`${stack.api}/users/${winner.user.id}/stats`, { token: winner.accessToken });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ total: 0, counts: {}, lastActivity: null, matches: { gamesPlayed: 1, wins: 1, losses: 0, earnings: { gold: 50 }, stats: { kills: 9 } } });
    const wallet = await call(`${stack.api}/users/${winner.user.id}/wallet`, { token: winner.accessToken });
    expect(wallet.body).toEqual({ userId: winner.user.id, balances: { gold: 50 } });
    const ledger = await call<{ items: { idempotencyKey: string; amount: number }[] }>(`${stack.api}/users/${winner.user.id}/wallet/transactions`, { token: winner.accessToken });
    expect(ledger.body.items).toEqual([expect.objectContaining({ idempotencyKey: `match:${matchId}:gold`, amount: 50, balanceAfter: 50 })]);
    const rank = await call(`${stack.api}/leaderboards/high-score/users/${winner.user.id}`, { token: loser.accessToken });
    expect(rank.body).toMatchObject({ boardId: 'high-score', period: 'all', userId: winner.user.id, username: winner.user.username, score: 1200 });
    const wins = await call<{ items: { userId: string; username: string; score: number }[] }>(`${stack.api}/leaderboards/wins?limit=100`, { token: loser.accessToken });
    expect(wins.body.items).toContainEqual(expect.objectContaining({ userId: winner.user.id, username: winner.user.username, score: 1 }));
    const history = await call(`${stack.api}/users/${loser.user.id}/matches`, { token: loser.accessToken });
    expect(history.body).toMatchObject({ items: [{ matchId, outcome: 'loss', mode: 'duel', score: 700 }], cursor: null });
    expect((await call(`${stack.api}/users/${loser.user.id}/matches`, { token: winner.accessToken })).status).toBe(403);

    const trail = await waitForEvents(stack, winner.user.id, winner.accessToken, { matchCompleted: 1, walletTransaction: 1 });
    expect(trail.filter((e) => e.type === 'matchCompleted')).toHaveLength(1);
    expect(trail.find((e) => e.type === 'walletTransaction')?.data).toMatchObject({ currency: 'gold', amount: 50, balanceAfter: 50 });
  });
});

describe('the wallet over HTTP', () => {
  it('lets exactly 10 of 32 concurrent debits through a balance of 10, and replays an idempotency key', async () => {
    const p = await signUp(stack);
    const url = `${stack.api}/users/${p.user.id}/wallet/transactions`;
    const grant = await call(url, { token: server, body: { currency: 'gold', amount: 10, reason: 'grant', idempotencyKey: 'grant' } });
    expect(grant.status).toBe(201);
    expect((await call(url, { token: server, body: { currency: 'gold', amount: 10, reason: 'grant', idempotencyKey: 'grant' } })).body).toMatchObject({ replayed: true });
    const debits = await Promise.all(Array.from({ length: 32 }, (_, i) => call(url, { token: server, body: { currency: 'gold', amount: -1, reason: 'shop', idempotencyKey: `d${i}` } })));
    expect(debits.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = debits.filter((r) => r.status === 409);
    expect(refused).toHaveLength(22);
    expect(refused[0]?.body).toMatchObject({ code: 'INSUFFICIENT_FUNDS', errors: [{ field: 'amount' }] });
    expect((await call(`${stack.api}/users/${p.user.id}/wallet`, { token: p.accessToken })).body).toMatchObject({ balances: { gold: 0 } });
    expect((await call(url, { token: p.accessToken, body: { currency: 'gold', amount: 5, reason: 'self', idempotencyKey: 'x' } })).status).toBe(403);
  });
});

describe('bad input', () => {
  it('gets a 4xx problem naming the field, never a 500', async () => {
    const p = await signUp(stack);
    const cases: [string, { method?: string; body?: unknown; token: string }, number, string][] = [
      [`/users/${p.user.id}/wallet/transactions`, { token: server, body: { currency: 'gold', amount: 1.5, reason: 'r', idempotencyKey: 'k' } }, 400, 'amount'],
      [`/users/${p.user.id}/wallet/transactions`, { token: server, body: { currency: 'silver', amount: 1, reason: 'r', idempotencyKey: 'k' } }, 400, 'currency'],
      [`/users/${p.user.id}/wallet/transactions`, { token: server, body: { currency: 'gold', amount: 1, reason: 'r', idempotencyKey: 'a b' } }, 400, 'idempotencyKey'],
      [`/users/${p.user.id}/wallet/transactions?limit=0`, { token: server }, 400, 'limit'],
      [`/matches/m1/result`, { token: server, body: { results: [{ userId: p.user.id, outcome: 'victory' }] } }, 400, 'results[0].outcome'],
      [`/matches/m1/result`, { token: server, body: { results: [{ userId: p.user.id, outcome: 'win', earnings: { gold: -5 } }] } }, 400, 'results[0].earnings.gold'],
      [`/matches/m1`, { method: 'PUT', token: server, body: { mode: 'duel', players: [], state: {} } }, 400, 'players'],
      [`/matches/m1`, { method: 'PUT', token: server, body: { mode: 'duel', players: [{ userId: 'a' }], state: { blob: 'x'.repeat(17_000) } } }, 400, 'state'],
      [`/leaderboards/high-score/scores`, { token: server, body: { userId: p.user.id, score: 'high' } }, 400, 'score'],
      [`/leaderboards/high-score/scores`, { token: server, body: { items: Array.from({ length: 1_001 }, () => ({ userId: 'u', score: 1 })) } }, 400, 'items'],
      [`/leaderboards/high-score?limit=1000`, { token: p.accessToken }, 400, 'limit'],
      [`/leaderboards/high-score?period=yesterday`, { token: p.accessToken }, 400, 'period'],
      [`/leaderboards/wins?cursor=bm9wZQ`, { token: p.accessToken }, 400, 'cursor'],
    ];
    for (const [path, init, status, field] of cases) {
      const res = await call<{ errors?: { field: string }[] }>(`${stack.api}${path}`, init);
      expect([path, res.status], JSON.stringify(res.body)).toEqual([path, status]);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body.errors?.map((e) => e.field), path).toContain(field);
    }
    expect((await call(`${stack.api}/leaderboards/no-such-board`, { token: p.accessToken })).status).toBe(404);
    expect((await call(`${stack.api}/leaderboards/high-score/scores`, { token: p.accessToken, body: { userId: p.user.id, score: 1 } })).status).toBe(403);
  });
});

describe('leaderboards over HTTP', () => {
  it('takes a batch, pages the top, finds neighbours, and an admin rebuilds the index', async () => {
    const board = `${stack.api}/leaderboards/high-score`;
    const items = Array.from({ length: 250 }, (_, i) => ({ userId: `bot-${randomUUID()}`, score: 10_000 + i, metadata: { i } }));
    const submitted = await call<{ items: unknown[] }>(`${board}/scores`, { token: server, body: { items } });
    expect(submitted.status).toBe(200);
    expect(submitted.body.items).toHaveLength(250);
    const top = await call<{ items: { rank: number; score: number }[]; cursor: string }>(`${board}?limit=100`, { token: admin.accessToken });
    expect(top.body.items[0]).toMatchObject({ rank: 1, score: 10_249, username: null });
    const next = await call<{ items: { rank: number }[] }>(`${board}?limit=100&cursor=${top.body.cursor}`, { token: admin.accessToken });
    expect(next.body.items[0]?.rank).toBe(101);
    const around = await call<{ items: { userId: string }[] }>(`${board}/around/${items[100]?.userId}?limit=3`, { token: admin.accessToken });
    expect(around.body.items.map((e) => e.userId)).toEqual([items[101]?.userId, items[100]?.userId, items[99]?.userId]);
    expect((await call(`${stack.api}/admin/leaderboards/high-score/rebuild`, { method: 'POST', token: server })).status).toBe(403);
    const rebuilt = await call<{ entries: number }>(`${stack.api}/admin/leaderboards/high-score/rebuild`, { method: 'POST', token: admin.accessToken });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.entries).toBeGreaterThanOrEqual(250);
    expect((await call(`${board}?limit=100`, { token: admin.accessToken })).body).toEqual(top.body);
  });
});
