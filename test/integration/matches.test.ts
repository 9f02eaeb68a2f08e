/** Match results applied exactly once, against real Redis and the Cosmos stand-in, crashes injected by wrapping adapters. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosLeaderboardRecords } from '../../functions/adapters/cosmos/leaderboards.js';
import { CosmosMatchRecords, CosmosPlayerMatches } from '../../functions/adapters/cosmos/matches.js';
import { CosmosWalletRepository } from '../../functions/adapters/cosmos/wallets.js';
import { RedisLeaderboardIndex } from '../../functions/adapters/redis/leaderboards.js';
import { RedisLiveMatches } from '../../functions/adapters/redis/live-matches.js';
import { RedisPublicProfiles } from '../../functions/adapters/redis/public-profiles.js';
import { playerRank } from '../../functions/core/leaderboards/leaderboards.js';
import { finishUnapplied, getLiveMatch, matchHistory, putLiveMatch, readMatchStats, reportResult, type MatchDeps } from '../../functions/core/matches/matches.js';
import type { MatchResultInput } from '../../functions/core/matches/schemas.js';
import type { WalletRepository } from '../../functions/core/wallet/ports.js';
import { getWallet } from '../../functions/core/wallet/wallet.js';
import { boardOf } from '../../functions/platform/features/leaderboards.js';
import { DEFAULT_STATS } from '../../functions/platform/features/matches.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { anyUser, gameServer, player, RecordingEvents } from '../support/game.js';
import { testRedis } from '../support/redis-client.js';

const redis = testRedis('matches');
let cosmos: TestCosmos;
beforeAll(async () => {
  cosmos = await startTestCosmos();
});
afterAll(async () => {
  await cosmos?.stop();
  await redis.stop();
});

function deps(options: { wallets?: WalletRepository; now?: () => number } = {}): MatchDeps & { events: RecordingEvents } {
  const clock = { now: options.now ?? (() => Date.now()) };
  const events = new RecordingEvents();
  const prefix = `${redis.prefix}`;
  return {
    live: new RedisLiveMatches(redis.get, prefix),
    records: new CosmosMatchRecords(cosmos.handle),
    players: new CosmosPlayerMatches(cosmos.handle),
    leaderboards: {
      boards: [
        { id: 'high-score', sort: 'desc', operator: 'best', reset: null, source: 'score' },
        { id: 'wins', sort: 'desc', operator: 'sum', reset: '0 0 0 * * Mon', source: 'wins' },
        { id: 'gold', sort: 'desc', operator: 'sum', reset: null, source: 'earnings.gold' },
      ].map((b) => boardOf(b as never)),
      records: new CosmosLeaderboardRecords(cosmos.handle),
      index: new RedisLeaderboardIndex(redis.get, prefix),
      names: new RedisPublicProfiles(redis.get, prefix, anyUser),
      clock,
    },
    wallet: { wallets: options.wallets ?? new CosmosWalletRepository(cosmos.handle), events, clock, users: anyUser, currencies: ['gold'] },
    events,
    clock,
    users: anyUser,
    stats: DEFAULT_STATS,
    ttlSeconds: 60,
  };
}

function result(a: string, b: string): MatchResultInput {
  return {
    mode: 'duel',
    results: [
      { userId: a, outcome: 'win', score: 120, earnings: { gold: 50 }, stats: { kills: 7, bestStreak: 4, fastestLapMs: 61_000 } },
      { userId: b, outcome: 'loss', score: 80, earnings: { gold: 10 }, stats: { kills: 2, bestStreak: 1, fastestLapMs: 65_000 } },
    ],
  };
}

async function standing(d: MatchDeps, userId: string) {
  const [stats, wallet, wins, gold, best] = await Promise.all([
    readMatchStats(d, userId),
    getWallet(d.wallet, gameServer, userId),
    playerRank(d.leaderboards, 'wins', userId, {}).catch(() => null),
    playerRank(d.leaderboards, 'gold', userId, {}).catch(() => null),
    playerRank(d.leaderboards, 'high-score', userId, {}).catch(() => null),
  ]);
  return { stats, gold: wallet.balances['gold'], wins: wins?.score ?? 0, goldBoard: gold?.score ?? 0, best: best?.score ?? null };
}

describe('match results', () => {
  it('moves stats, scores and wallets once for a result sent 5 times in a row and 5 times at once', async () => {
    const d = deps();
    const [a, b] = [randomUUID(), randomUUID()];
    const first = await reportResult(d, gameServer, `m-${a}`, result(a, b));
    expect(first).toMatchObject({ replayed: false, match: { status: 'applied', mode: 'duel' } });
    for (let i = 0; i < 5; i++) expect((await reportResult(d, gameServer, `m-${a}`, result(a, b))).replayed).toBe(true);
    const second = `m2-${a}`;
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => reportResult(d, gameServer, second, result(a, b))));
    expect(concurrent.filter((r) => !r.replayed)).toHaveLength(1);

    const winner = await standing(d, a);
    expect(winner.stats).toMatchObject({ gamesPlayed: 2, wins: 2, losses: 0, draws: 0, earnings: { gold: 100 }, stats: { kills: 14, bestStreak: 4, fastestLapMs: 61_000 } });
    expect(winner).toMatchObject({ gold: 100, wins: 2, goldBoard: 100, best: 120 });
    const loser = await standing(d, b);
    expect(loser).toMatchObject({ gold: 20, wins: 0, goldBoard: 20, best: 80 });
    expect(loser.stats).toMatchObject({ gamesPlayed: 2, losses: 2 });
    // One matchCompleted per player per match, one walletTransaction per credit.
    expect(d.events.ofType('matchCompleted')).toHaveLength(4);
    expect(d.events.ofType('walletTransaction')).toHaveLength(4);
    const history = await matchHistory(d, player(a), a, { limit: 10 });
    expect(history.items.map((h) => [h.matchId, h.outcome])).toEqual(expect.arrayContaining([[`m-${a}`, 'win'], [second, 'win']]));
    expect(history.items).toHaveLength(2);
  });

  it('answers 409 for a different second result, and refuses what is not configured, naming the field', async () => {
    const d = deps();
    const [a, b] = [randomUUID(), randomUUID()];
    await reportResult(d, gameServer, `c-${a}`, result(a, b));
    const flipped = result(b, a);
    await expect(reportResult(d, gameServer, `c-${a}`, flipped)).rejects.toMatchObject({ code: 'CONFLICT' });
    const bad: MatchResultInput = { results: [{ userId: a, outcome: 'win', earnings: { silver: 1 }, stats: { jumps: 3 } }] };
    await expect(reportResult(d, gameServer, `d-${a}`, bad)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'results[0].earnings.silver' }, { field: 'results[0].stats.jumps' }],
    });
    await expect(reportResult(d, player(a), `e-${a}`, result(a, b))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('finishes a result whose application crashed halfway: by a retry, or by the repair timer', async () => {
    const real = new CosmosWalletRepository(cosmos.handle);
    let crashes = 1;
    const crashing = Object.assign(Object.create(real) as WalletRepository, {
      write: async (...args: Parameters<WalletRepository['write']>) => {
        if (crashes > 0) {
          crashes--;
          throw new Error('injected crash before the wallet credit');
        }
        return real.write(...args);
      },
    });
    let now = Date.now();
    const d = deps({ wallets: crashing, now: () => now });
    const [a, b] = [randomUUID(), randomUUID()];
    await expect(reportResult(d, gameServer, `x-${a}`, result(a, b))).rejects.toThrow(/injected/);
    // Stats and leaderboards of the first player moved; the wallet did not.
    expect(await standing(d, a)).toMatchObject({ gold: 0, wins: 1, stats: { gamesPlayed: 1 } });
    const retried = await reportResult(d, gameServer, `x-${a}`, result(a, b));
    expect(retried).toMatchObject({ replayed: true, match: { status: 'applied' } });
    expect(await standing(d, a)).toMatchObject({ gold: 50, wins: 1, goldBoard: 50, stats: { gamesPlayed: 1, stats: { kills: 7 } } });
    expect(await standing(d, b)).toMatchObject({ gold: 10, stats: { gamesPlayed: 1 } });

    // Crash again on another match; nobody retries; the repair timer finishes it once the grace has passed.
    crashes = 1;
    await expect(reportResult(d, gameServer, `y-${a}`, result(a, b))).rejects.toThrow(/injected/);
    expect(await finishUnapplied(d)).not.toContain(`y-${a}`);
    now += 31_000;
    expect(await finishUnapplied(d)).toContain(`y-${a}`);
    expect(await finishUnapplied(d)).not.toContain(`y-${a}`);
    expect(await standing(d, a)).toMatchObject({ gold: 100, wins: 2, stats: { gamesPlayed: 2, stats: { kills: 14 } } });
    expect((await reportResult(d, gameServer, `y-${a}`, result(a, b))).replayed).toBe(true);
    expect(await standing(d, b)).toMatchObject({ gold: 20, stats: { gamesPlayed: 2 } });
  });

  it('keeps a live match in Redis until its result, then refuses updates', async () => {
    const d = deps();
    const id = `live-${randomUUID()}`;
    const a = randomUUID();
    const created = await putLiveMatch(d, gameServer, id, { mode: 'duel', players: [{ userId: a, team: 'red' }], state: { round: 1 } });
    expect(created.created).toBe(true);
    const updated = await putLiveMatch(d, gameServer, id, { mode: 'duel', players: [{ userId: a, team: 'red' }], state: { round: 2 } });
    expect(updated.created).toBe(false);
    expect(await getLiveMatch(d, gameServer, id)).toMatchObject({ mode: 'duel', state: { round: 2 }, createdAt: created.match.createdAt });
    expect(await (await redis.get()).ttl(`${redis.prefix}match:${id}`)).toBeGreaterThan(50);
    await expect(getLiveMatch(d, player(a), id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const { match } = await reportResult(d, gameServer, id, { results: [{ userId: a, outcome: 'draw' }] });
    expect(match.mode).toBe('duel');
    await expect(getLiveMatch(d, gameServer, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(putLiveMatch(d, gameServer, id, { mode: 'duel', players: [{ userId: a }] })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(putLiveMatch(d, gameServer, 'bad/id', { mode: 'duel', players: [{ userId: a }] })).rejects.toMatchObject({ errors: [{ field: 'id' }] });
  });
});
