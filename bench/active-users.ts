/**
 * Active users: GET /api/active-users?limit=100 with 100,000 players online, beside a bare server
 * doing the same Redis reads in the same run (bench/active-users-baseline.ts, its own process).
 * Two scenarios: every player's username already known to presence (signed-in players), and none
 * known (players seen only through game servers' activity), walking the first pages, where the app
 * must look names up once and then answer from its cache, known and unknown alike.
 */
import { randomUUID } from 'node:crypto';
import { connectRedis } from '../functions/adapters/redis/client.js';
import { presenceOnlineKey, RedisPresenceStore } from '../functions/adapters/redis/presence.js';
import type { Sighting } from '../functions/core/presence/presence.js';
import { report } from './results.js';
import { benchStack, load, machine, options, round, type LoadResult, processCpuMs, startBaselineServer } from './support.js';
import { gameServerToken } from './stack-services.js';

const args = options('Usage: npm run bench:active-users -- [options]', {
  online: { default: '100000', help: 'players online' },
  seconds: { default: '4', help: 'how long to drive each load' },
  rounds: { default: '5', help: 'rounds of baseline then app, interleaved so both meet the same noise' },
  connections: { default: '16', help: 'concurrent HTTP connections' },
  pages: { default: '20', help: 'pages walked in the unknown-usernames scenario' },
  registered: { default: '10', help: 'of the unknown-username players, how many are real signed-up players' },
});

const stack = await benchStack({ label: 'bench-presence', env: { PRESENCE_SWEEP_SCHEDULE: '0 0 0 1 1 *', SERVICE_TOKEN_IP_LIMIT: '1000/60', BCRYPT_COST: '10', SIGNUP_IP_LIMIT: '100000/60' } });
const redis = await connectRedis(stack.redisUrl);

interface Measured extends LoadResult {
  /** The server process's CPU per answered request: what the noise of other processes moves least. */
  cpuPerRequest: number;
}

/** A load, and the CPU the serving process spent on it. */
async function measured(pid: number, opts: Parameters<typeof load>[0]): Promise<Measured> {
  const before = processCpuMs(pid) ?? NaN;
  const result = await load(opts);
  return { ...result, cpuPerRequest: ((processCpuMs(pid) ?? NaN) - before) / Math.max(1, result.ok) };
}

/** Puts `count` players online, newest first from `now`, 1,000 per presence call. */
async function fill(presence: RedisPresenceStore, count: number, now: number, named: boolean): Promise<number> {
  const filling = performance.now();
  for (let start = 0; start < count; start += 1000) {
    const sightings: Sighting[] = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
      userId: randomUUID(),
      at: now - (start + i),
      ...(named ? { username: `player_${start + i}` } : {}),
    }));
    await presence.seen(sightings);
  }
  return (performance.now() - filling) / 1000;
}

async function signUp(): Promise<{ id: string; username: string }> {
  const tag = randomUUID().slice(0, 12);
  const res = await fetch(`${stack.api}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: `bench_${tag}`, email: `${tag}@example.com`, password: 'correct horse battery staple' }),
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string; username: string } };
  return body.user;
}

function line(result: Measured): string {
  const failed = result.failed > 0 ? ` (${result.failed} not 2xx ${JSON.stringify(result.statuses)})` : '';
  return `${round(result.okPerSecond)} requests/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${round(result.cpuPerRequest, 2)} ms CPU/request${failed}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const baseline = await startBaselineServer(new URL('./active-users-baseline.js', import.meta.url), [stack.redisUrl, stack.keyPrefix]);
try {
  const presence = new RedisPresenceStore(async () => redis, stack.keyPrefix);
  const token = await gameServerToken(stack);
  const authorization = { authorization: `Bearer ${token}` };
  const drive = { connections: args.connections, duration: args.seconds };

  // Scenario 1: usernames known to presence (players who signed in).
  const filledNamed = await fill(presence, args.online, Date.now(), true);
  // Both servers warm up (JIT, connections, caches) before anything counts.
  await load({ ...drive, duration: 2, url: `${baseline.url}/active-users?limit=100` });
  await load({ ...drive, duration: 2, url: `${stack.api}/active-users?limit=100`, headers: authorization });
  const bare: Measured[] = [];
  const named: Measured[] = [];
  for (let r = 0; r < args.rounds; r++) {
    bare.push(await measured(baseline.pid, { ...drive, url: `${baseline.url}/active-users?limit=100` }));
    named.push(await measured(stack.pids.host, { ...drive, url: `${stack.api}/active-users?limit=100`, headers: authorization }));
  }

  // Scenario 2: a fresh crowd seen without usernames; the newest few are real players.
  await redis.del(presenceOnlineKey(stack.keyPrefix));
  const now = Date.now();
  const filledUnnamed = await fill(presence, args.online, now, false);
  const registered = await Promise.all(Array.from({ length: args.registered }, signUp));
  await presence.seen(registered.map((u, i) => ({ userId: u.id, at: now + args.registered - i })));
  // Signing in may have told presence the name already: forget it, so the app has to look it up.
  await Promise.all(registered.map((u) => redis.hDel(`${stack.keyPrefix}presence:user:${u.id}`, 'username')));
  const paths: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < args.pages; page++) {
    paths.push(`/api/active-users?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    cursor = (await presence.online({ limit: 100, cursor: cursor ?? undefined })).cursor;
    if (cursor === null) break;
  }
  // The first pass looks every name up (one page at a time); the load after it shows what is remembered.
  const firstPassStart = performance.now();
  for (const path of paths) {
    const res = await fetch(`${stack.url}${path}`, { headers: authorization });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    await res.arrayBuffer();
  }
  const firstPass = (performance.now() - firstPassStart) / paths.length;
  const unnamed = await measured(stack.pids.host, { ...drive, url: stack.api, headers: authorization, requests: paths.map((path) => ({ method: 'GET', path })) });
  const bareAfter = await measured(baseline.pid, { ...drive, url: `${baseline.url}/active-users?limit=100` });
  const first = (await (await fetch(`${stack.api}/active-users?limit=100`, { headers: authorization })).json()) as { items: { userId: string; username: string | null }[] };
  const namesShown = first.items.filter((u) => u.username !== null).length;

  const percent = (app: number, base: number) => `${round((100 * app) / base)}%`;
  const total = (results: Measured[]) => results.reduce((n, r) => n + r.okPerSecond, 0);
  const cpu = (results: Measured[]) => median(results.map((r) => r.cpuPerRequest));
  console.log(`machine:        ${machine()}`);
  console.log(`online:         ${round(args.online)} players (filled in ${round(filledNamed, 1)} s named, ${round(filledUnnamed, 1)} s unnamed, through the presence script, 1,000 per call)`);
  console.log(`load:           ${args.connections} connections, ${args.seconds} s per load, limit=100; baseline = bare node:http, ZRANGE + 100 pipelined HMGET (page 1)`);
  named.forEach((app, r) => {
    const base = bare[r] as Measured;
    console.log(`round ${r + 1}:        baseline ${line(base)} | app ${line(app)} | ${percent(app.okPerSecond, base.okPerSecond)}`);
  });
  console.log(`named:          app ${round(total(named) / named.length)} requests/s vs baseline ${round(total(bare) / bare.length)}: ${percent(total(named), total(bare))} (page 1, usernames in presence), p99 median ${median(named.map((r) => r.p99))} ms; CPU/request median app ${round(cpu(named), 2)} ms vs baseline ${round(cpu(bare), 2)} ms: the app needs ${round(cpu(named) / cpu(bare), 1)}x`);
  console.log(`unnamed:        app ${line(unnamed)} vs baseline ${line(bareAfter)}: ${percent(unnamed.okPerSecond, bareAfter.okPerSecond)} (${paths.length} pages walked after a first pass of ${round(firstPass)} ms a page; no username in presence; ${args.registered} real players, the rest unknown ids)`);
  report({
    name: `active-users, ${round(args.online)} online`,
    figure: total(named) / named.length,
    unit: 'requests/s',
    detail: `p99 ${median(named.map((r) => r.p99))} ms (target < 20 ms)`,
    baseline: { figure: total(bare) / bare.length, what: 'bare node:http + ZRANGE + 100 HMGET' },
    target: 0.8,
  });
  report({
    name: 'active-users, usernames not in presence',
    figure: unnamed.okPerSecond,
    unit: 'requests/s',
    detail: `p99 ${unnamed.p99} ms`,
    baseline: { figure: bareAfter.okPerSecond, what: 'bare node:http + ZRANGE + 100 HMGET' },
  });
  console.log(`names found:    ${namesShown} of the ${args.registered} real players on page 1 after the run`);
} finally {
  await baseline.stop();
  redis.destroy();
  await stack.stop();
}
