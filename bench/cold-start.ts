/**
 * Cold start: from a process start to an answer, each figure beside `node -e ""` measured the same
 * way in the same run (a fresh process that does nothing), repeated, as median and range:
 *   (a) each SDK package's import cost alone: `node -e "import('pkg')"` minus `node -e ""`;
 *   (b) importing dist/functions/index.js in a fresh process, and which SDK packages that loads;
 *   (c) the local functions host alone (host-main.js, as the launcher forks it, against a running
 *       stack's stand-ins) from spawn to its first answer: /api/health/live (no dependency), and
 *       in another fresh host /api/health (Cosmos, Redis and Service Bus);
 *   (d) `node dist/infra/local/start.js` (`npm start` once built) from spawn to its "Ready:" line.
 * `--root <dir>` measures another build of the project (a checkout of main, for before and after).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_DEFAULTS } from '../infra/local/settings.js';
import { deleteRedisKeys, PROJECT_ROOT, startStack, type Stack } from '../infra/local/spawn-stack.js';
import type { AppImport } from './app-import.js';
import { report } from './results.js';
import { machine, processCpuMs, round } from './support.js';

/** Every runtime dependency the app may load; (b) says which of them index.js loads. */
const PACKAGES = [
  '@azure/cosmos',
  '@azure/identity',
  '@azure/service-bus',
  'redis',
  '@redis/entraid',
  '@azure/keyvault-secrets',
  'openai',
  '@azure/web-pubsub',
  '@azure/communication-email',
  '@azure/monitor-opentelemetry',
  '@opentelemetry/api',
  'jose',
  'zod',
  '@asteasolutions/zod-to-openapi',
  'graphql',
  'graphql-yoga',
  '@azure/functions',
  'croner',
  'bcryptjs',
];
/** What the app cannot register its functions without: loading these at import is expected. */
const NEEDED_AT_IMPORT = new Set(['@azure/functions', 'zod']);

const HELP = `Usage: npm run bench:cold-start -- [--runs 5] [--root <dir>]

How long a process takes from its start to an answer, beside \`node -e ""\` in the same run:
each SDK package's import cost alone, importing dist/functions/index.js (and which SDK packages
that loads), the local functions host alone to its first answer (/api/health/live, and /api/health
which needs Cosmos, Redis and Service Bus), and \`node dist/infra/local/start.js\` to "Ready:".

Options:
  --runs <n>     repetitions of each measurement (default 5); medians and ranges are printed
  --root <dir>   the built project to measure (default this one); e.g. a built checkout of main
  --skip-packages  leave out (a), each package alone (the longest part)
  --help         this text`;

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, root: { type: 'string' }, 'skip-packages': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
const root = resolve(args.root ?? PROJECT_ROOT);

interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? (sorted[Math.floor(mid)] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number };
}

const ms = (s: Spread) => `${round(s.median)} ms (${round(s.min)}-${round(s.max)})`;

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => (child.exitCode !== null ? resolveExit(child.exitCode) : child.once('exit', resolveExit)));
}

/** A fresh `node <args>` from spawn to exit, in ms; its stdout returned for the caller. */
async function timedNode(nodeArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await exitOf(child);
  const elapsed = performance.now() - started;
  if (code !== 0) throw new Error(`node ${nodeArgs.join(' ')} exited with ${code}:\n${stderr.slice(-2_000)}`);
  return { ms: elapsed, stdout };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * CPU time (user + system, ms) a process and its descendants have used so far, from /proc (Linux;
 * undefined elsewhere). On a machine other work keeps busy, wall times stretch; this barely moves.
 */
function treeCpuMs(pid: number | undefined): number | undefined {
  const own = pid === undefined ? undefined : processCpuMs(pid);
  if (own === undefined) return undefined;
  let ms = own;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) ms += treeCpuMs(Number(child)) ?? 0;
    }
  } catch {
    // The process ended meanwhile: its own time is what there is.
  }
  return ms;
}

/** One GET on a fresh connection: the status, or undefined while nothing listens. */
function get(url: string): Promise<number | undefined> {
  return new Promise((resolveStatus) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolveStatus(res.statusCode));
    });
    req.once('error', () => resolveStatus(undefined));
    req.end();
  });
}

/** The settings the launcher gives the host, for this stack's stand-ins. */
function hostEnv(stack: Stack): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...LOCAL_DEFAULTS,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    COSMOS_ENDPOINT: stack.cosmosEndpoint,
    COSMOS_KEY: 'local-stand-in',
    COSMOS_DATABASE: stack.cosmosDatabase,
    ServiceBusConnection: stack.serviceBusConnectionString,
    REDIS_URL: stack.redisUrl,
    REDIS_KEY_PREFIX: stack.keyPrefix,
    JWT_SIGNING_KEY: JSON.stringify(stack.signingJwk),
    EMAIL_ENDPOINT: stack.email.endpoint,
    EMAIL_CONNECTION_STRING: stack.email.connectionString,
    EMAIL_SENDER: 'DoNotReply@local.test',
    ...(stack.webPubSubConnectionString ? { WEBPUBSUB_CONNECTION_STRING: stack.webPubSubConnectionString } : {}),
    WEBPUBSUB_HUB: stack.webPubSubHub,
    REQUEST_LOG: 'off',
  };
}

/**
 * A fresh local host from spawn to the first answer of `path`, polled every few ms on fresh
 * connections (any status counts: /api/health may say 503 while a dependency warms up).
 */
async function hostFirstAnswer(env: NodeJS.ProcessEnv, path: string): Promise<{ ms: number; status: number; cpuMs: number | undefined }> {
  const port = await freePort();
  const started = performance.now();
  const child = fork(join(root, 'dist/infra/local/host-main.js'), ['--port', String(port), '--host', '127.0.0.1', '--script-root', root], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the host exited with ${child.exitCode}:\n${output}`);
      if (performance.now() - started > 30_000) throw new Error(`the host did not answer ${path} within 30 s:\n${output}`);
      const status = await get(`http://127.0.0.1:${port}${path}`);
      if (status !== undefined) return { ms: performance.now() - started, status, cpuMs: treeCpuMs(child.pid) };
      await new Promise((r) => setTimeout(r, 3));
    }
  } finally {
    if (child.connected) child.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exitOf(child);
    clearTimeout(timer);
  }
}

/** `node dist/infra/local/start.js` from spawn to its "Ready:" line, then stopped (Ctrl-C). */
async function stackReady(): Promise<{ ms: number; cpuMs: number | undefined }> {
  const keyPrefix = `bench:cold:${randomBytes(4).toString('hex')}:`;
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist/infra/local/start.js'), '--settings', 'none', '--port', '0'], {
    cwd: root,
    env: { ...process.env, REDIS_KEY_PREFIX: keyPrefix },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<{ ms: number; cpuMs: number | undefined }>((resolveReady, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^Ready: /m.test(output)) resolveReady({ ms: performance.now() - started, cpuMs: treeCpuMs(child.pid) });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the stack exited with ${code} before it was ready:\n${output.slice(-4_000)}`)));
  });
  try {
    return await ready;
  } finally {
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exitOf(child);
    clearTimeout(timer);
    await deleteRedisKeys(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', keyPrefix).catch(() => undefined);
  }
}

console.log(`cold start of ${root}, ${runs} runs each; ${machine()}`);

/** One measurement: wall time, and CPU time of the process (and its children) by then, when known. */
interface Sample {
  ms: number;
  cpuMs: number | undefined;
}

/** `node -e ""`, which also says the CPU time it used: the baseline for both. */
async function baseline(): Promise<Sample> {
  const { ms, stdout } = await timedNode(['-e', 'const c = process.cpuUsage(); console.log((c.user + c.system) / 1000)']);
  return { ms, cpuMs: Number(stdout.trim()) };
}

const baselines: Sample[] = [];
/** Each sample follows a baseline of its own, so the machine's drift reaches both alike. */
async function sampled(measure: () => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    baselines.push(await baseline());
    samples.push(await measure());
  }
  return samples;
}

// (a) Each package alone. The import is also timed inside the process, which spawn times on a busy machine blur.
const packageRows: { name: string; cost: Spread; inProcess: Spread }[] = [];
for (const name of args['skip-packages'] ? [] : PACKAGES) {
  const inProcess: number[] = [];
  const costs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const empty = await baseline();
    baselines.push(empty);
    const script = `const t = performance.now(); import(${JSON.stringify(name)}).then(() => console.log(performance.now() - t), (e) => { console.error(e); process.exit(1); })`;
    const { ms: total, stdout } = await timedNode(['-e', script]);
    inProcess.push(Number(stdout.trim()));
    costs.push(total - empty.ms);
  }
  packageRows.push({ name, cost: spread(costs), inProcess: spread(inProcess) });
}

// (b) and (c) run against one stack's stand-ins (Cosmos, Service Bus, Redis...).
const stack = await startStack({ label: 'cold-start', quiet: true });
let importInProcess: Sample[];
let importSpawned: Sample[];
let loaded: string[];
let live: Sample[];
let health: Sample[];
const healthStatuses = new Set<number>();
try {
  const env = hostEnv(stack);
  const appImport = join(PROJECT_ROOT, 'dist/bench/app-import.js');
  const entry = join(root, 'dist/functions/index.js');
  importInProcess = [];
  importSpawned = await sampled(async () => {
    const { ms, stdout } = await timedNode([appImport, entry], env);
    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as AppImport;
    importInProcess.push({ ms: result.ms, cpuMs: undefined });
    return { ms, cpuMs: result.cpuMs };
  });
  const { stdout } = await timedNode([appImport, entry, '--packages'], env);
  const all = (JSON.parse(stdout.trim().split('\n').at(-1) as string) as AppImport).packages ?? [];
  loaded = PACKAGES.filter((p) => all.includes(p));

  live = await sampled(() => hostFirstAnswer(env, '/api/health/live'));
  health = await sampled(async () => {
    const answer = await hostFirstAnswer(env, '/api/health');
    healthStatuses.add(answer.status);
    return answer;
  });
} finally {
  await stack.stop();
}

// (d) The whole launcher, stand-ins and all.
const ready = await sampled(stackReady);

const wallOf = (samples: Sample[]) => spread(samples.map((s) => s.ms));
const cpuOf = (samples: Sample[]) => (samples.every((s) => s.cpuMs !== undefined) ? spread(samples.map((s) => s.cpuMs as number)) : undefined);
const empty = wallOf(baselines);
const emptyCpu = cpuOf(baselines);

console.log('\n(a) each package imported alone in a fresh node');
console.log('| package | import, timed in the process | node -e "import(pkg)" minus node -e "" |');
console.log('| --- | --- | --- |');
for (const row of [...packageRows].sort((a, b) => b.inProcess.median - a.inProcess.median)) console.log(`| ${row.name} | ${ms(row.inProcess)} | ${ms(row.cost)} |`);

const unexpected = loaded.filter((p) => !NEEDED_AT_IMPORT.has(p));
console.log('\n(b)-(d), each beside `node -e ""` (spawn to exit) in the same run; CPU: user + system of the process tree by then');
console.log('| measured | wall, median (range) | of node -e "" | CPU, median (range) | of node -e "" |');
console.log('| --- | --- | --- | --- | --- |');
const row = (name: string, samples: Sample[]) => {
  const wall = wallOf(samples);
  const cpu = cpuOf(samples);
  const cpuCells = cpu && emptyCpu ? `${ms(cpu)} | ${round(cpu.median / emptyCpu.median, 1)}x` : ' | ';
  console.log(`| ${name} | ${ms(wall)} | ${round(wall.median / empty.median, 1)}x | ${cpuCells} |`);
};
row(`node -e "" (baseline, ${baselines.length} runs)`, baselines);
console.log(`| import dist/functions/index.js, timed in the process | ${ms(wallOf(importInProcess))} | | | |`);
row('node app-import.js (spawn, import dist/functions/index.js, exit)', importSpawned);
row('host: spawn to first /api/health/live answer', live);
row(`host: spawn to first /api/health answer (${[...healthStatuses].join(', ')})`, health);
row('start.js: spawn to "Ready:"', ready);
console.log(`\nSDK packages index.js loads: ${unexpected.length === 0 ? 'none' : unexpected.join(', ')} (besides ${[...NEEDED_AT_IMPORT].join(', ')})`);

const baselineOf = { figure: empty.median, what: 'node -e ""' };
report({ name: 'cold start, import of index.js', figure: wallOf(importInProcess).median, unit: 'ms', detail: `SDKs loaded: ${unexpected.length === 0 ? 'none' : unexpected.join(' ')}` });
report({ name: 'cold start, host to first answer', figure: wallOf(live).median, unit: 'ms', baseline: baselineOf, atMost: 500 });
report({ name: 'cold start, host to first /api/health', figure: wallOf(health).median, unit: 'ms', baseline: baselineOf });
report({ name: 'cold start, npm start (built) to ready', figure: wallOf(ready).median, unit: 'ms', baseline: baselineOf, atMost: 1500 });
