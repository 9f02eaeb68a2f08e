/**
 * Activity ingest: activities/s accepted by POST /api/track-activity through the local host, at
 * batch sizes 1 and 100, with p50/p99, each next to a bare node:http server measured in the same
 * run with the same load (bench/ingest-baseline.ts: parse the body, XADD each item, answer 202),
 * the two taking turns in slices so drifting load on a shared box falls on both alike.
 * The ratio (what the endpoint achieves of what HTTP, JSON and Redis alone allow) is the figure
 * that matters. The raw pipelined XADD rate says what Redis alone takes.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { report } from './results.js';
import { benchStack, load, machine, options, round, type LoadResult, processCpuMs, startBaselineServer } from './support.js';
import { gameServerToken } from './stack-services.js';
import { activityStreamKey } from '../functions/adapters/redis/activity-buffer.js';

const args = options('Usage: npm run bench:ingest -- [options]', {
  seconds: { default: '10', help: 'how long to drive each batch size, app and baseline each' },
  slices: { default: '5', help: 'app and baseline take turns this many times (load on a shared box drifts)' },
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

/** Drives `run` and adds the CPU the serving process used to `cpu` (ms and requests). */
async function measured(pid: number, cpu: { ms: number; requests: number }, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = processCpuMs(pid);
  const result = await run();
  const after = processCpuMs(pid);
  if (before !== undefined && after !== undefined) {
    cpu.ms += after - before;
    cpu.requests += result.ok + result.failed;
  }
  return result;
}

async function drive(url: string, size: number, headers: Record<string, string>, seconds: number) {
  let n = 0;
  return load({
    url,
    connections: args.connections,
    duration: seconds,
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
}

interface Driven {
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
  statuses: Record<string, number>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** One figure from several slices: requests/s over all of them, the median slice's p50 and p99. */
function combine(slices: LoadResult[], seconds: number): Driven {
  const statuses: Record<string, number> = {};
  for (const slice of slices) for (const [status, count] of Object.entries(slice.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  return {
    perSecond: slices.reduce((sum, slice) => sum + slice.ok, 0) / (slices.length * seconds),
    p50: median(slices.map((slice) => slice.p50)),
    p99: median(slices.map((slice) => slice.p99)),
    failed: slices.reduce((sum, slice) => sum + slice.failed, 0),
    statuses,
  };
}

// The sync and sweep timers are pushed out of the way, and the host prints no line per request
// (the bare server prints none either): this measures the ingest path alone.
const stack = await benchStack({
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
  const redis = createClient({ url: stack.redisUrl });
  await redis.connect();
  const appStream = activityStreamKey(stack.keyPrefix);
  const baselineStream = `${stack.keyPrefix}bench:baseline`;
  const baseline = await startBaselineServer(new URL('./ingest-baseline.js', import.meta.url), [stack.redisUrl, baselineStream]);
  try {
    for (const size of [1, 100]) {
      // App and baseline take turns, so a change in the box's other load falls on both alike.
      const seconds = args.seconds / args.slices;
      const appSlices: LoadResult[] = [];
      const bareSlices: LoadResult[] = [];
      // CPU per request of the serving process: less swayed by the box's other load than rates are.
      const appCpu = { ms: 0, requests: 0 };
      const bareCpu = { ms: 0, requests: 0 };
      for (let slice = 0; slice < args.slices; slice++) {
        appSlices.push(await measured(stack.pids.host, appCpu, () => drive(stack.url, size, headers, seconds)));
        bareSlices.push(await measured(baseline.pid, bareCpu, () => drive(baseline.url, size, headers, seconds)));
        // Emptied between turns so Redis memory stays small on a shared server (the group stays).
        await redis.xTrim(appStream, 'MAXLEN', 0);
        await redis.del(baselineStream);
      }
      const app = combine(appSlices, seconds);
      const bare = combine(bareSlices, seconds);
      const describe = (r: Driven) =>
        `${round(r.perSecond * size).padStart(7)} activities/s (${round(r.perSecond)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms` +
        `${r.failed > 0 ? `; ${r.failed} not 2xx ${JSON.stringify(r.statuses)}` : ''})`;
      console.log(`batch ${String(size).padStart(3)} app:      ${describe(app)} = ${round((100 * app.perSecond * size) / raw, 1)}% of raw Redis`);
      console.log(`batch ${String(size).padStart(3)} baseline: ${describe(bare)}`);
      console.log(`batch ${String(size).padStart(3)} ratio:    ${round((100 * app.perSecond) / bare.perSecond, 1)}% of the bare server`);
      report({
        name: `ingest, batch ${size}`,
        figure: app.perSecond,
        unit: 'requests/s',
        detail: `p99 ${app.p99} ms`,
        baseline: { figure: bare.perSecond, what: size === 1 ? 'bare node:http + one XADD' : `bare node:http + ${size} pipelined XADD` },
        target: size === 1 ? 0.35 : 0.75,
      });
      if (appCpu.requests > 0 && bareCpu.requests > 0) {
        const appMs = appCpu.ms / appCpu.requests;
        const bareMs = bareCpu.ms / bareCpu.requests;
        console.log(`batch ${String(size).padStart(3)} cpu:      ${round(appMs, 3)} ms per request in the host, ${round(bareMs, 3)} in the bare server (${round(appMs / bareMs, 1)}x)`);
      }
    }
  } finally {
    await baseline.stop();
    await redis.close();
  }
} finally {
  await stack.stop();
}
