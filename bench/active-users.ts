/** Active users: p50/p99 of GET /api/active-users?limit=100 with 100,000 players online. */
import { randomUUID } from 'node:crypto';
import { connectRedis } from '../functions/adapters/redis/client.js';
import { RedisPresenceStore } from '../functions/adapters/redis/presence.js';
import { startStack } from '../infra/local/spawn-stack.js';
import { load, machine, options, round } from './support.js';
import { gameServerToken } from './stack-services.js';

const args = options('Usage: npm run bench:active-users -- [options]', {
  online: { default: '100000', help: 'players online' },
  seconds: { default: '10', help: 'how long to drive load' },
  connections: { default: '16', help: 'concurrent HTTP connections' },
});

const stack = await startStack({ label: 'bench-presence', env: { PRESENCE_SWEEP_SCHEDULE: '0 0 0 1 1 *', SERVICE_TOKEN_IP_LIMIT: '1000/60' } });
const redis = await connectRedis(stack.redisUrl);
try {
  const presence = new RedisPresenceStore(async () => redis, stack.keyPrefix);
  const now = Date.now();
  const filling = performance.now();
  for (let start = 0; start < args.online; start += 1000) {
    const sightings = Array.from({ length: Math.min(1000, args.online - start) }, (_, i) => ({ userId: randomUUID(), at: now - (start + i), username: `player_${start + i}` }));
    await presence.seen(sightings);
  }
  const filled = (performance.now() - filling) / 1000;

  const token = await gameServerToken(stack);
  const result = await load({
    url: `${stack.api}/active-users?limit=100`,
    connections: args.connections,
    duration: args.seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  console.log(`machine:       ${machine()}`);
  console.log(`online:        ${args.online} players (filled in ${round(filled, 1)} s through the presence script, 1,000 per call)`);
  console.log(`active-users:  ${round(result.okPerSecond)} requests/s, p50 ${result.p50} ms, p99 ${result.p99} ms (limit=100; ${result.failed} not 2xx ${JSON.stringify(result.statuses)})`);
} finally {
  redis.destroy();
  await stack.stop();
}
