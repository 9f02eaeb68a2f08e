/**
 * Leaderboards, wallet and matches over HTTP against the local stack, each read next to the same
 * read straight from Redis in the same run: score submissions at batch 100, top 100 and
 * around-me on a board of 1,000,000, wallet transactions on 1,000 accounts and on one hot
 * account, match results.
 */
import { randomUUID } from 'node:crypto';
import { CosmosUserRepository } from '../functions/adapters/cosmos/users.js';
import { connectRedis } from '../functions/adapters/redis/client.js';
import { RedisLeaderboardIndex } from '../functions/adapters/redis/leaderboards.js';
import { DEFAULT_LEADERBOARDS } from '../functions/core/leaderboards/boards.js';
import { benchStack, closedLoop, load, machine, options, round, type LoadResult } from './support.js';
import { gameServerToken, stackCosmos } from './stack-services.js';

const args = options('Usage: npm run bench:game -- [options]', {
  entries: { default: '1000000', help: 'entries on the board the reads run against' },
  accounts: { default: '1000', help: 'wallet accounts for the spread-out wallet run' },
  seconds: { default: '10', help: 'how long each run drives load' },
  connections: { default: '16', help: 'concurrent HTTP connections (and Redis workers for the baselines)' },
});

const BENCH_BOARD = { id: 'bench', sort: 'desc' as const, operator: 'best' as const, reset: null, source: null };
const stack = await benchStack({
  label: 'bench-game',
  env: {
    LEADERBOARDS: JSON.stringify([...DEFAULT_LEADERBOARDS, BENCH_BOARD]),
    LEADERBOARD_RESET_SCHEDULE: '0 0 0 1 1 *',
    MATCH_REPAIR_SCHEDULE: '0 0 0 1 1 *',
    ACTIVITY_SYNC_SCHEDULE: '0 0 0 1 1 *',
    SERVICE_TOKEN_IP_LIMIT: '1000/60',
  },
});
const redis = await connectRedis(stack.redisUrl);
const cosmos = await stackCosmos(stack);
const line = (label: string, r: LoadResult, unit = 'requests/s', scale = 1) =>
  console.log(`${label.padEnd(34)} ${round(r.okPerSecond * scale)} ${unit}, p50 ${round(r.p50, 1)} ms, p99 ${round(r.p99, 1)} ms (${r.failed} not 2xx ${JSON.stringify(r.statuses)})`);

try {
  const token = await gameServerToken(stack);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => (await fetch(`${stack.api}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).status;
  console.log(`machine: ${machine()}`);
  // How loaded the machine is right now: the cheapest route that touches Cosmos and Redis.
  line('GET /api/health (context)', await load({ url: `${stack.api}/health`, connections: args.connections, duration: Math.min(5, args.seconds) }));

  // Score submissions: 16 connections, each request a batch of 100 new players on high-score.
  const submit = await closedLoop(args.connections, args.seconds, () =>
    post('/leaderboards/high-score/scores', { items: Array.from({ length: 100 }, () => ({ userId: randomUUID(), score: Math.floor(Math.random() * 1e6) })) }),
  );
  line('scores, batch 100 (HTTP)', submit, 'submissions/s', 100);

  // The read board: filled straight into the Redis index (the reads never touch Cosmos).
  const index = new RedisLeaderboardIndex(async () => redis, stack.keyPrefix);
  const filling = performance.now();
  const started = Date.parse('2026-01-01T00:00:00Z');
  const slices = Array.from({ length: Math.ceil(args.entries / 5_000) }, (_, s) => s);
  for (let i = 0; i < slices.length; i += 8) {
    await Promise.all(
      slices.slice(i, i + 8).map((s) =>
        index.put(
          BENCH_BOARD,
          'all',
          Array.from({ length: Math.min(5_000, args.entries - s * 5_000) }, (_, j) => {
            const n = s * 5_000 + j;
            return { userId: `bench-${n}`, score: Math.floor(Math.random() * 100_000), metadata: null, reachedAt: new Date(started + n).toISOString(), version: 1 };
          }),
        ),
      ),
    );
  }
  console.log(`board: ${round(await redis.zCard(`${stack.keyPrefix}lb:bench:all`))} entries, filled in ${round((performance.now() - filling) / 1000, 1)} s`);

  const authorization = { authorization: `Bearer ${token}` };
  const top = await load({ url: `${stack.api}/leaderboards/bench?limit=100`, connections: args.connections, duration: args.seconds, headers: authorization });
  line('GET top 100 (HTTP)', top);
  const zset = `${stack.keyPrefix}lb:bench:all`;
  const topRaw = await closedLoop(args.connections, args.seconds, async () => ((await redis.zRangeWithScores(zset, 0, 99, { REV: true })).length === 100 ? 200 : 500));
  line('  same from Redis (ZRANGE REV 100)', topRaw);
  const middle = `bench-${Math.floor(args.entries / 2)}`;
  const around = await load({ url: `${stack.api}/leaderboards/bench/around/${middle}?limit=11`, connections: args.connections, duration: args.seconds, headers: authorization });
  line('GET around-me, 11 (HTTP)', around);
  const aroundRaw = await closedLoop(args.connections, args.seconds, async () => {
    const json = await redis.hGet(`${zset}:entries`, middle);
    const member = (JSON.parse(json ?? '{}') as { member: string }).member;
    const rank = (await redis.zRevRank(zset, member)) ?? 0;
    return (await redis.zRangeWithScores(zset, Math.max(0, rank - 5), rank + 5, { REV: true })).length === 11 ? 200 : 500;
  });
  line('  same from Redis (HGET+ZREVRANK+ZRANGE)', aroundRaw);

  // Wallets: real users (made directly in Cosmos, skipping bcrypt), credits of 1 with fresh keys.
  const users = new CosmosUserRepository(cosmos);
  const ids: string[] = [];
  for (let i = 0; i < args.accounts; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, args.accounts - i) }, async (_, j) => {
        const id = randomUUID();
        const now = new Date().toISOString();
        await users.create({ id, username: `w_${i + j}_${id.slice(0, 6)}`, email: `w.${id}@example.com`, displayName: 'w', avatarUrl: null, roles: ['player'], status: 'active', statusReason: null, statusUntil: null, passwordHash: 'x', createdAt: now, updatedAt: now });
        ids.push(id);
      }),
    );
  }
  const credit = (userId: string) => post(`/users/${userId}/wallet/transactions`, { currency: 'gold', amount: 1, reason: 'bench', idempotencyKey: randomUUID() });
  const spread = await closedLoop(args.connections, args.seconds, () => credit(ids[Math.floor(Math.random() * ids.length)] as string));
  line(`wallet, ${args.accounts} accounts (HTTP)`, spread, 'transactions/s');
  const hot = await closedLoop(args.connections, args.seconds, () => credit(ids[0] as string));
  line('wallet, one hot account (HTTP)', hot, 'transactions/s');

  // Match results: two players each, a score, earnings and a stat; every step of applying them.
  const results = await closedLoop(args.connections, args.seconds, () => {
    const [a, b] = [ids[Math.floor(Math.random() * ids.length)] as string, ids[Math.floor(Math.random() * ids.length)] as string];
    const players = a === b ? [a] : [a, b];
    return post(`/matches/bench-${randomUUID()}/result`, {
      mode: 'duel',
      results: players.map((userId, i) => ({ userId, outcome: i === 0 ? 'win' : 'loss', score: Math.floor(Math.random() * 1000), earnings: { gold: 5 }, stats: { kills: 3 } })),
    });
  });
  line('match results, 2 players (HTTP)', results, 'results/s');
} finally {
  redis.destroy();
  cosmos.client.dispose();
  await stack.stop();
}
