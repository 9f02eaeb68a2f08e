/**
 * Social: p50/p99 of GET /api/players?search= with 1,000,000 players in the index (16
 * connections), next to the same Redis range read called directly in the same run; and
 * follow/unfollow operations per second through HTTP.
 */
import { randomUUID } from 'node:crypto';
import { connectRedis } from '../functions/adapters/redis/client.js';
import { RedisPlayerIndex } from '../functions/adapters/redis/player-index.js';
import { benchStack, closedLoop, load, machine, options, round } from './support.js';

const args = options('Usage: npm run bench:social -- [options]', {
  players: { default: '1000000', help: 'players in the search index' },
  seconds: { default: '10', help: 'how long to drive each load' },
  connections: { default: '16', help: 'concurrent HTTP connections (and direct Redis callers)' },
  followers: { default: '16', help: 'players following and unfollowing in the follow benchmark' },
});

const stack = await benchStack({
  label: 'bench-social',
  env: { BCRYPT_COST: '10', SIGNUP_IP_LIMIT: '100000/60', SOCIAL_CHANGE_LIMIT: '1000000/60' },
});
const redis = await connectRedis(stack.redisUrl);

async function signUp(): Promise<{ id: string; token: string }> {
  const tag = randomUUID().slice(0, 12);
  const res = await fetch(`${stack.api}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: `bench_${tag}`, email: `${tag}@example.com`, password: 'correct horse battery staple' }),
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string }; accessToken: string };
  return { id: body.user.id, token: body.accessToken };
}

try {
  const index = new RedisPlayerIndex(async () => redis, stack.keyPrefix);
  const filling = performance.now();
  for (let start = 0; start < args.players; start += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, args.players - start) }, (_, i) => ({ id: randomUUID(), username: `Player_${String(start + i).padStart(7, '0')}` }));
    await index.add(batch);
  }
  const filled = (performance.now() - filling) / 1000;
  const searcher = await signUp();

  // Prefixes that each match 1,000 players ("player_0123" .. ), a page of 20 from each.
  const prefixes = Array.from({ length: 64 }, (_, i) => `player_${String((i * 37) % Math.max(1, Math.floor(args.players / 1000))).padStart(4, '0')}`);
  const http = await load({
    url: stack.api,
    connections: args.connections,
    duration: args.seconds,
    headers: { authorization: `Bearer ${searcher.token}` },
    requests: prefixes.map((p) => ({ method: 'GET', path: `/api/players?search=${p}&limit=20` })),
  });
  // The same stack's floor for any authenticated call (token check, deny list, presence sighting).
  const baseline = await load({ url: `${stack.api}/me`, connections: args.connections, duration: args.seconds, headers: { authorization: `Bearer ${searcher.token}` } });
  let n = 0;
  const direct = await closedLoop(args.connections, args.seconds, async () => {
    const prefix = prefixes[n++ % prefixes.length] ?? 'player_';
    const { players } = await index.range(prefix, 21, undefined);
    return players.length > 0 ? 200 : 404;
  });

  // Follow/unfollow: each worker follows its own target and unfollows it again, over and over.
  const followers = await Promise.all(Array.from({ length: args.followers }, signUp));
  const targets = await Promise.all(Array.from({ length: args.followers }, signUp));
  const following = new Array<boolean>(args.followers).fill(false);
  const follows = await closedLoop(args.followers, args.seconds, async (worker) => {
    const who = followers[worker]!;
    const whom = targets[worker]!;
    const res = await fetch(`${stack.api}/me/following/${whom.id}`, { method: following[worker] ? 'DELETE' : 'POST', headers: { authorization: `Bearer ${who.token}` } });
    await res.arrayBuffer();
    following[worker] = !following[worker];
    return res.status;
  });

  console.log(`machine:        ${machine()}`);
  console.log(`index:          ${round(args.players)} players (filled in ${round(filled, 1)} s, 10,000 per ZADD)`);
  console.log(`search (HTTP):  ${round(http.okPerSecond)} requests/s, p50 ${http.p50} ms, p99 ${http.p99} ms, ${args.connections} connections, limit=20 (${http.failed} not 2xx ${JSON.stringify(http.statuses)})`);
  console.log(`GET /me (HTTP): ${round(baseline.okPerSecond)} requests/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms: the floor of an authenticated call on this stack`);
  console.log(`search (Redis): ${round(direct.okPerSecond)} range reads/s, p50 ${direct.p50} ms, p99 ${direct.p99} ms, ${args.connections} callers, the same ZRANGE BYLEX directly`);
  console.log(`follow/unfollow: ${round(follows.okPerSecond)} operations/s, p50 ${follows.p50} ms, p99 ${follows.p99} ms, ${args.followers} players (${follows.failed} not 2xx ${JSON.stringify(follows.statuses)})`);
} finally {
  await redis.del(`${stack.keyPrefix}players:by-name`);
  redis.destroy();
  await stack.stop();
}
