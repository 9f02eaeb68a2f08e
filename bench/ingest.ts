/**
 * Activity ingest: activities/s accepted by POST /api/track-activity through the local host, at
 * batch sizes 1 and 100, with p50/p99, next to the raw Redis XADD rate from a pipelined client in
 * the same run. The ratio (what the endpoint achieves of what Redis alone can take) is the figure
 * that matters.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { startStack } from '../infra/local/spawn-stack.js';
import { load, machine, options, round } from './support.js';
import { gameServerToken } from './stack-services.js';

const args = options('Usage: npm run bench:ingest -- [options]', {
  seconds: { default: '10', help: 'how long to drive each batch size' },
  connections: { default: '32', help: 'concurrent HTTP connections' },
  users: { default: '1000', help: 'distinct players the activity is about' },
});

const users = Array.from({ length: args.users }, () => randomUUID());
function item(i: number) {
  return { userId: users[i % users.length], activity: i % 3 ? 'kill' : 'loot', details: { weapon: 'bow', zone: 'forest-3', score: i % 97 } };
}

/** What Redis alone takes: XADD of the same payload, pipelined 1,000 at a time. */
async function rawRedisRate(url: string, prefix: string, seconds: number): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  const key = `${prefix}bench:raw`;
  const payload = JSON.stringify({ id: randomUUID(), ...item(1), timestamp: new Date().toISOString(), receivedAt: new Date().toISOString() });
  let written = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const batch = client.multi();
    for (let i = 0; i < 1000; i++) batch.xAdd(key, '*', { a: payload });
    await batch.execAsPipeline();
    written += 1000;
  }
  const rate = written / ((performance.now() - started) / 1000);
  await client.del(key);
  await client.close();
  return rate;
}

// The sync and sweep timers are pushed out of the way: this measures the ingest path alone.
const stack = await startStack({
  label: 'bench-ingest',
  env: { ACTIVITY_SYNC_SCHEDULE: '0 0 0 1 1 *', PRESENCE_SWEEP_SCHEDULE: '0 0 0 1 1 *', SERVICE_TOKEN_IP_LIMIT: '1000/60' },
});
try {
  const token = await gameServerToken(stack);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

  // Warm-up: every player's first activity brings them online, which records and publishes one
  // userStatusChange each (an outbox write, a publish, an audit write). Done before measuring, so
  // the figures are the steady-state ingest path.
  for (let start = 0; start < users.length; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, users.length - start) }, (_, i) => item(start + i));
    const res = await fetch(`${stack.api}/track-activity`, { method: 'POST', headers, body: JSON.stringify(batch) });
    if (res.status !== 202) throw new Error(`warm-up failed: ${res.status} ${await res.text()}`);
  }
  await new Promise((r) => setTimeout(r, 5_000));

  const raw = await rawRedisRate(stack.redisUrl, stack.keyPrefix, 5);
  console.log(`machine:        ${machine()}`);
  console.log(`raw Redis XADD: ${round(raw)} entries/s (pipelined, 1,000 per round trip, same payload)`);
  for (const size of [1, 100]) {
    let n = 0;
    const result = await load({
      url: stack.url,
      connections: args.connections,
      duration: args.seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/track-activity',
          headers,
          setupRequest: (request) => {
            const body = size === 1 ? item(n++) : Array.from({ length: size }, () => item(n++));
            return { ...request, body: JSON.stringify(body) };
          },
        },
      ],
    });
    const activities = result.okPerSecond * size;
    console.log(
      `batch ${String(size).padStart(3)}:      ${round(activities)} activities/s (${round(result.okPerSecond)} requests/s, p50 ${result.p50} ms, p99 ${result.p99} ms; ` +
        `${result.failed} not 2xx ${JSON.stringify(result.statuses)}) = ${round((100 * activities) / raw, 1)}% of raw Redis`,
    );
  }
} finally {
  await stack.stop();
}
