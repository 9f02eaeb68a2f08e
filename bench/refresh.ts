/**
 * Refresh-token throughput against the local stack, beside its baseline measured in the same run.
 * Each connection keeps its own session and rotates its refresh token on every request (a closed
 * loop: each request carries the token the previous answer returned). The baseline is the same
 * Cosmos operations one refresh does, straight on the stand-in from a process of its own with the
 * app's Cosmos client, in as many loops: what the app would reach if it cost nothing itself.
 * Both print the CPU each process spent per refresh, which says where the difference goes.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Stack } from '../infra/local/spawn-stack.js';
import type { BaselineResult, BaselineTask, Operation } from './refresh-baseline.js';
import { report } from './results.js';
import { stackEnvironment } from './stack-services.js';
import { benchStack, closedLoop, jsonClient, machine, options, processCpuMs, round } from './support.js';

const args = options('Usage: npm run bench:refresh -- [options]', {
  seconds: { default: '15', help: 'how long to drive each load' },
  connections: { default: '16', help: 'concurrent HTTP connections (one session each), and baseline loops' },
});

/** What one refresh does in Cosmos (core/sessions/sessions.ts refresh): the baseline repeats exactly this. */
const REFRESH_OPERATIONS: Operation[] = ['readSession', 'readUser', 'replaceSession'];

function baseline(stack: Stack, task: BaselineTask): Promise<BaselineResult> {
  const worker = fork(fileURLToPath(new URL('./refresh-baseline.js', import.meta.url)), {
    env: { ...process.env, ...stackEnvironment(stack) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (result) => resolve(result as BaselineResult));
    worker.once('exit', (code) => reject(new Error(`the baseline worker exited (${code}) without an answer`)));
    worker.send(task);
  });
}

/** CPU ms per unit of work of each process, between two readings; undefined where unknown. */
function perUnit(before: (number | undefined)[], after: (number | undefined)[], units: number): (number | undefined)[] {
  return before.map((b, i) => {
    const a = after[i];
    return a === undefined || b === undefined || units === 0 ? undefined : (a - b) / units;
  });
}

const ms = (cpu: number | undefined): string => (cpu === undefined ? 'n/a' : `${round(cpu, 2)} ms`);
const sum = (cpus: (number | undefined)[]): number => cpus.reduce<number>((total, c) => total + (c ?? 0), 0);

// Throttles are per IP and every request here comes from 127.0.0.1; the minimum bcrypt cost keeps set-up short.
const stack = await benchStack({ label: 'bench-refresh', env: { REFRESH_IP_LIMIT: '100000000/60', SIGNUP_IP_LIMIT: '100000/60', BCRYPT_COST: '10' } });
const client = jsonClient(stack.api, args.connections);
try {
  const tokens: string[] = [];
  const targets: BaselineTask['targets'] = [];
  for (let i = 0; i < args.connections; i++) {
    const tag = `${Date.now().toString(36)}${i}`;
    const res = await client.post('/signup', { username: `refresh_${tag}`, email: `refresh.${tag}@example.com`, password: 'benchmark password' });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    const grant = res.body as { refreshToken: string; sessionId: string; user: { id: string } };
    tokens.push(grant.refreshToken);
    targets.push({ userId: grant.user.id, sessionId: grant.sessionId });
  }

  const refreshOnce = async (worker: number): Promise<number> => {
    const res = await client.post('/token/refresh', { refreshToken: tokens[worker] });
    const next = (res.body as { refreshToken?: string } | null)?.refreshToken;
    if (res.status === 200 && next) tokens[worker] = next;
    return res.status;
  };
  // Not counted: JIT warm-up, connections opened, sessions grown to their bound of retired tokens.
  await closedLoop(args.connections, 2, refreshOnce);

  // The Cosmos stand-in runs inside the launcher's process.
  const cpu = () => [processCpuMs(stack.pids.host), processCpuMs(stack.pids.launcher), (process.cpuUsage().user + process.cpuUsage().system) / 1000];
  const cpuBefore = cpu();
  const app = await closedLoop(args.connections, args.seconds, refreshOnce);
  const appCpu = perUnit(cpuBefore, cpu(), app.ok + app.failed);

  const standInBefore = processCpuMs(stack.pids.launcher);
  const bare = await baseline(stack, { targets, seconds: args.seconds, operations: REFRESH_OPERATIONS });
  const bareCpu = [bare.cpuMs / Math.max(1, bare.done), ...perUnit([standInBefore], [processCpuMs(stack.pids.launcher)], bare.done)];
  const barePerSecond = bare.done / bare.elapsedSeconds;
  const ratio = app.okPerSecond / barePerSecond;

  console.log(`machine:       ${machine()}`);
  console.log(`load:          ${args.connections} connections (one session each) for ${args.seconds} s; baseline ${args.connections} loops for ${args.seconds} s`);
  console.log(`refreshes/s:   ${round(app.okPerSecond, 1)} (p50 ${app.p50} ms, p99 ${app.p99} ms; ${app.ok} ok, ${app.failed} not ok ${JSON.stringify(app.statuses)})`);
  console.log(`  CPU each:    functions host ${ms(appCpu[0])}, Cosmos stand-in ${ms(appCpu[1])}, load generator ${ms(appCpu[2])}`);
  console.log(`baseline:      ${round(barePerSecond, 1)} refresh equivalents/s (${REFRESH_OPERATIONS.join(' + ')} straight on the stand-in; ${bare.failed} failed)`);
  console.log(`  CPU each:    Cosmos client ${ms(bareCpu[0])}, Cosmos stand-in ${ms(bareCpu[1])}`);
  console.log(`ratio:         ${round(100 * ratio, 1)}% of the baseline (target 75%)`);
  // Throughput on a shared box follows whatever else runs; CPU per refresh barely does.
  if (appCpu.every((c) => c !== undefined) && bareCpu.every((c) => c !== undefined)) {
    console.log(`CPU ratio:     ${round((100 * sum(bareCpu)) / sum(appCpu), 1)}% (the baseline's CPU per refresh equivalent over the app's per refresh, all processes)`);
  }
  report({
    name: 'refresh',
    figure: app.okPerSecond,
    unit: 'refreshes/s',
    detail: `p99 ${app.p99} ms, host CPU ${ms(appCpu[0])} per refresh`,
    baseline: { figure: barePerSecond, what: `${REFRESH_OPERATIONS.length} Cosmos operations straight on the stand-in` },
    target: 0.75,
  });
} finally {
  client.close();
  await stack.stop();
}
