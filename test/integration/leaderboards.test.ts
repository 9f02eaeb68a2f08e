/** Leaderboards against real Redis (the index) and the Cosmos stand-in (the records). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosLeaderboardRecords } from '../../functions/adapters/cosmos/leaderboards.js';
import { RedisLeaderboardIndex } from '../../functions/adapters/redis/leaderboards.js';
import { RedisPublicProfiles } from '../../functions/adapters/redis/public-profiles.js';
import type { BoardConfig } from '../../functions/core/leaderboards/boards.js';
import {
  aroundPlayer,
  archiveFinishedPeriods,
  playerRank,
  rebuildIndex,
  submitScore,
  submitScores,
  topOfBoard,
  type LeaderboardDeps,
} from '../../functions/core/leaderboards/leaderboards.js';
import { boardOf } from '../../functions/platform/features/leaderboards.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { gameServer } from '../support/game.js';
import { testRedis } from '../support/redis-client.js';

const redis = testRedis('leaderboards');
let cosmos: TestCosmos;
beforeAll(async () => {
  cosmos = await startTestCosmos();
});
afterAll(async () => {
  await cosmos?.stop();
  await redis.stop();
});

const admin = { subject: 'admin-1', kind: 'player' as const, sessionId: 's', roles: ['player' as const, 'admin' as const], username: 'admin' };

/** One instance of the feature: its own adapter objects over the shared Redis and Cosmos. */
function instance(boards: BoardConfig[], clock: { now: () => number }, lookups: string[] = []): LeaderboardDeps {
  const users = { findById: async (id: string) => (lookups.push(id), { id, username: `name-${id}` }) as never };
  return {
    boards: boards.map(boardOf),
    records: new CosmosLeaderboardRecords(cosmos.handle),
    index: new RedisLeaderboardIndex(redis.get, redis.prefix),
    names: new RedisPublicProfiles(redis.get, redis.prefix, users),
    clock,
  };
}

const board = (overrides: Partial<BoardConfig> = {}): BoardConfig => ({ id: `b-${randomUUID().slice(0, 8)}`, sort: 'desc', operator: 'best', reset: null, source: 'score', ...overrides });

describe('leaderboards', () => {
  it('ranks ties by who reached the score first, on descending and ascending boards', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const clock = { now: () => now };
    for (const sort of ['desc', 'asc'] as const) {
      const b = board({ sort });
      const d = instance([b], clock);
      const [early, late, other] = [randomUUID(), randomUUID(), randomUUID()];
      await submitScore(d, d.boards[0]!, { userId: early, score: 50 });
      now += 1_000;
      await submitScore(d, d.boards[0]!, { userId: late, score: 50 });
      await submitScore(d, d.boards[0]!, { userId: other, score: sort === 'desc' ? 10 : 90 });
      const top = await topOfBoard(d, b.id, { limit: 10 });
      expect(top.items.map((e) => [e.rank, e.userId, e.score])).toEqual([
        [1, early, 50],
        [2, late, 50],
        [3, other, sort === 'desc' ? 10 : 90],
      ]);
      expect((await playerRank(d, b.id, late, {})).rank).toBe(2);
    }
  });

  it('applies best, sum and set, and a keyed submission (a match result) at most once', async () => {
    const clock = { now: () => Date.now() };
    const [best, sum, set] = [board({ operator: 'best' }), board({ operator: 'sum' }), board({ operator: 'set' })];
    const d = instance([best, sum, set], clock);
    const user = randomUUID();
    for (const score of [5, 9, 3]) for (const b of d.boards) await submitScore(d, b, { userId: user, score });
    expect((await playerRank(d, best.id, user, {})).score).toBe(9);
    expect((await playerRank(d, sum.id, user, {})).score).toBe(17);
    expect((await playerRank(d, set.id, user, {})).score).toBe(3);
    const sumBoard = d.boards[1]!;
    await Promise.all(Array.from({ length: 5 }, () => submitScore(d, sumBoard, { userId: user, score: 100 }, 'match:m1')));
    await submitScore(d, sumBoard, { userId: user, score: 100 }, 'match:m1');
    expect((await playerRank(d, sum.id, user, {})).score).toBe(117);
  });

  it('takes a batch of 1,000, pages the top with a cursor, and finds the neighbourhood of a player', async () => {
    const b = board();
    const lookups: string[] = [];
    const d = instance([b], { now: () => Date.now() }, lookups);
    const users = Array.from({ length: 1_000 }, (_, i) => ({ userId: `u${String(i).padStart(4, '0')}`, score: i }));
    const { items } = await submitScores(d, gameServer, b.id, users);
    expect(items).toHaveLength(1_000);
    const first = await topOfBoard(d, b.id, { limit: 100 });
    expect(first.total).toBe(1_000);
    expect(first.items[0]).toMatchObject({ rank: 1, userId: 'u0999', score: 999, username: 'name-u0999' });
    const second = await topOfBoard(d, b.id, { limit: 100, cursor: first.cursor ?? undefined });
    expect(second.items[0]).toMatchObject({ rank: 101, userId: 'u0899' });
    const around = await aroundPlayer(d, b.id, 'u0500', { limit: 5 });
    expect(around.items.map((e) => e.rank)).toEqual([498, 499, 500, 501, 502]);
    expect(around.items.map((e) => e.userId)).toEqual(['u0502', 'u0501', 'u0500', 'u0499', 'u0498']);
    const bottom = await aroundPlayer(d, b.id, 'u0000', { limit: 5 });
    expect(bottom.items.map((e) => e.rank)).toEqual([996, 997, 998, 999, 1000]);
    await expect(aroundPlayer(d, b.id, 'nobody', { limit: 5 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(topOfBoard(d, b.id, { limit: 10, cursor: 'bm9wZQ' })).rejects.toMatchObject({ errors: [{ field: 'cursor' }] });

    // Names came from the users container once; the second read of the page is all cache.
    const looked = lookups.length;
    await topOfBoard(d, b.id, { limit: 100 });
    expect(lookups.length).toBe(looked);
    await d.names.invalidate('u0999');
    await topOfBoard(d, b.id, { limit: 100 });
    expect(lookups.slice(looked)).toEqual(['u0999']);
  });

  it('archives a finished period once with two instances racing, starts empty, and keeps the old one readable', async () => {
    let now = Date.parse('2026-11-02T10:00:30Z');
    const clock = { now: () => now };
    const b = board({ reset: '0 * * * * *', operator: 'sum' });
    const [one, two] = [instance([b], clock), instance([b], clock)];
    await submitScore(one, one.boards[0]!, { userId: 'p1', score: 3 });
    await submitScore(two, two.boards[0]!, { userId: 'p2', score: 4 });
    expect((await topOfBoard(one, b.id, { limit: 10 })).period).toBe('2026-11-02T10:00:00Z');
    now = Date.parse('2026-11-02T10:01:05Z');
    const runs = await Promise.all([archiveFinishedPeriods(one), archiveFinishedPeriods(two), archiveFinishedPeriods(one), archiveFinishedPeriods(two)]);
    expect(runs.flat()).toEqual([{ boardId: b.id, period: '2026-11-02T10:00:00Z' }]);
    const current = await topOfBoard(two, b.id, { limit: 10 });
    expect(current).toMatchObject({ period: '2026-11-02T10:01:00Z', total: 0, items: [] });
    const archived = await topOfBoard(two, b.id, { limit: 10, period: '2026-11-02T10:00:00Z' });
    expect(archived.items.map((e) => [e.userId, e.score])).toEqual([
      ['p2', 4],
      ['p1', 3],
    ]);
    await submitScore(one, one.boards[0]!, { userId: 'p1', score: 1 });
    expect((await playerRank(one, b.id, 'p1', {})).score).toBe(1);
    await expect(topOfBoard(one, b.id, { limit: 10, period: '2026-11-02T10:05:00Z' })).rejects.toMatchObject({ errors: [{ field: 'period' }] });
  });

  it('rebuilds a lost Redis index from the Cosmos records, ties and all', async () => {
    const b = board();
    let now = Date.parse('2026-11-03T00:00:00Z');
    const d = instance([b], { now: () => now });
    for (let i = 0; i < 300; i++) {
      now += 10;
      await submitScore(d, d.boards[0]!, { userId: `r${i}`, score: i % 7, metadata: { i } });
    }
    const before = await topOfBoard(d, b.id, { limit: 100 });
    const client = await redis.get();
    const keys = await client.keys(`${redis.prefix}lb:${b.id}:*`);
    expect(keys.length).toBe(2);
    await client.del(keys);
    expect((await topOfBoard(d, b.id, { limit: 100 })).total).toBe(0);
    await expect(rebuildIndex(d, gameServer, b.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await rebuildIndex(d, admin, b.id)).toEqual({ boardId: b.id, period: 'all', entries: 300 });
    expect(await topOfBoard(d, b.id, { limit: 100 })).toEqual(before);
  });
});
