/**
 * The soak: the real product's mixed load against the local stack on 127.0.0.1 for N minutes.
 * Players sign up, log in, refresh, look at their sessions and status, log out; a game server
 * posts activity and reads active users and presence; the activity sync runs as its timer does.
 * Reports errors, 5xx, p99 per route, and the host's memory (RSS of the stack's process tree) at
 * the start, every minute, and the end.
 *
 *   npm run soak -- --minutes 10 [--players 12]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '../infra/local/spawn-stack.js';
import { gameServerToken } from './stack-services.js';
import { machine, options, round } from './support.js';

export interface RouteStats {
  calls: number;
  errors: number;
  fivexx: number;
  latencies: number[];
}

export interface SoakReport {
  seconds: number;
  routes: Record<string, { calls: number; errors: number; fivexx: number; p50: number; p99: number }>;
  /** MiB of the stack's process tree, sampled at the start, each minute and at the end. */
  memoryMiB: number[];
  unexpected: string[];
}

/** RSS of a process and all its descendants, in MiB (Linux /proc). */
export function treeRssMiB(pid: number): number {
  let kib = 0;
  const visit = (p: number): void => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      return;
    }
    let children = '';
    try {
      children = execFileSync('pgrep', ['-P', String(p)], { encoding: 'utf8' });
    } catch {
      children = '';
    }
    for (const child of children.split('\n').filter(Boolean)) visit(Number(child));
  };
  visit(pid);
  return kib / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs the mixed load for `seconds` against a running stack. */
export async function soak(stack: Stack, seconds: number, players: number): Promise<SoakReport> {
  const stats = new Map<string, RouteStats>();
  const unexpected: string[] = [];
  const api = stack.api;

  async function call(route: string, method: string, path: string, body: unknown, token: string | null, expected: number[]): Promise<{ status: number; json: unknown }> {
    const entry = stats.get(route) ?? { calls: 0, errors: 0, fivexx: 0, latencies: [] };
    stats.set(route, entry);
    const started = performance.now();
    let status = 0;
    let json: unknown = null;
    try {
      const res = await fetch(path.startsWith('http') ? path : `${api}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      status = res.status;
      const text = await res.text();
      json = text ? (JSON.parse(text) as unknown) : null;
    } catch (error) {
      unexpected.push(`${route}: ${error instanceof Error ? error.message : String(error)}`);
    }
    entry.calls += 1;
    entry.latencies.push(performance.now() - started);
    if (status >= 500) entry.fivexx += 1;
    if (!expected.includes(status)) {
      entry.errors += 1;
      if (unexpected.length < 20) unexpected.push(`${route}: ${status} ${JSON.stringify(json).slice(0, 200)}`);
    }
    return { status, json };
  }

  const memory = [treeRssMiB(stack.process.pid ?? 0)];
  const deadline = Date.now() + seconds * 1000;
  const service = await gameServerToken(stack);

  async function player(worker: number): Promise<void> {
    while (Date.now() < deadline) {
      const name = `soak${worker}_${randomUUID().slice(0, 8)}`;
      const password = 'soak test password';
      const signedUp = await call('POST /signup', 'POST', '/signup', { username: name, email: `${name}@example.test`, password }, null, [201]);
      const userId = (signedUp.json as { user?: { id?: string } } | null)?.user?.id;
      if (!userId) continue;
      // A session's life: a few logins, each with refreshes, reads and activity, then a logout.
      for (let login = 0; login < 3 && Date.now() < deadline; login++) {
        const grant = (await call('POST /login', 'POST', '/login', { login: name, password }, null, [200])).json as { accessToken?: string; refreshToken?: string } | null;
        let access = grant?.accessToken ?? null;
        let refresh = grant?.refreshToken ?? null;
        for (let round = 0; round < 5 && access && refresh && Date.now() < deadline; round++) {
          await call('GET /me', 'GET', '/me', undefined, access, [200]);
          await call('PUT /user-status', 'PUT', '/user-status', { status: round % 2 ? 'in-game' : 'online' }, access, [200, 204]);
          await call('GET /user-status', 'GET', '/user-status', undefined, access, [200]);
          await call('GET /me/sessions', 'GET', '/me/sessions?limit=10', undefined, access, [200]);
          const items = Array.from({ length: 5 }, (_, i) => ({ userId, activity: i % 2 ? 'kill' : 'death', details: { round, i } }));
          await call('POST /track-activity', 'POST', '/track-activity', items, service, [202]);
          await call('GET /user-status?userId=', 'GET', `/user-status?userId=${userId}`, undefined, service, [200]);
          await call('GET /active-users', 'GET', '/active-users?limit=50', undefined, service, [200]);
          await call('GET /users/{id}/activity', 'GET', `/users/${userId}/activity?limit=20`, undefined, access, [200]);
          const renewed = (await call('POST /token/refresh', 'POST', '/token/refresh', { refreshToken: refresh }, null, [200])).json as {
            accessToken?: string;
            refreshToken?: string;
          } | null;
          access = renewed?.accessToken ?? null;
          refresh = renewed?.refreshToken ?? null;
        }
        if (access) await call('POST /logout', 'POST', '/logout', undefined, access, [204]);
      }
    }
  }

  async function syncs(): Promise<void> {
    while (Date.now() < deadline) {
      await call('sync (timer)', 'POST', `${stack.url}/admin/functions/syncActivity`, { input: '' }, null, [202]);
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }

  const sampler = setInterval(() => memory.push(treeRssMiB(stack.process.pid ?? 0)), 60_000);
  try {
    await Promise.all([...Array.from({ length: players }, (_, i) => player(i)), syncs()]);
  } finally {
    clearInterval(sampler);
  }
  memory.push(treeRssMiB(stack.process.pid ?? 0));

  const routes: SoakReport['routes'] = {};
  for (const [route, entry] of [...stats.entries()].sort()) {
    const sorted = [...entry.latencies].sort((a, b) => a - b);
    routes[route] = { calls: entry.calls, errors: entry.errors, fivexx: entry.fivexx, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  }
  return { seconds, routes, memoryMiB: memory, unexpected };
}

/** The stack the soak runs against: every throttle lifted (all traffic comes from 127.0.0.1). */
export function soakStack(label: string): Promise<Stack> {
  return startStack({
    label,
    quiet: true,
    env: {
      BCRYPT_COST: '10',
      SIGNUP_IP_LIMIT: '100000000/60',
      LOGIN_IP_LIMIT: '100000000/60',
      REFRESH_IP_LIMIT: '100000000/60',
      SERVICE_TOKEN_IP_LIMIT: '100000/60',
    },
  });
}

export function printReport(report: SoakReport): void {
  console.log(`| route | calls | errors | 5xx | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: | ---: |`);
  for (const [route, r] of Object.entries(report.routes)) {
    console.log(`| \`${route}\` | ${round(r.calls)} | ${r.errors} | ${r.fivexx} | ${round(r.p50, 1)} | ${round(r.p99, 1)} |`);
  }
  console.log(`\nhost memory (RSS of the stack's processes, MiB): ${report.memoryMiB.map((m) => round(m)).join(' → ')}`);
  if (report.unexpected.length > 0) console.log(`unexpected answers (first ${report.unexpected.length}):\n  ${report.unexpected.join('\n  ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = options('Usage: npm run soak -- [options]', {
    minutes: { default: '10', help: 'how long to run' },
    players: { default: '12', help: 'concurrent players (each a closed loop)' },
  });
  console.log(`soak: ${args.minutes} min, ${args.players} players; ${machine()}`);
  const stack = await soakStack('soak');
  try {
    const report = await soak(stack, args.minutes * 60, args.players);
    printReport(report);
    const total = Object.values(report.routes).reduce((s, r) => s + r.calls, 0);
    console.log(`\n${round(total)} calls in ${args.minutes} min (${round(total / (args.minutes * 60))}/s)`);
  } finally {
    await stack.stop();
  }
}
