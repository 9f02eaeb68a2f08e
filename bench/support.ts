/** Shared pieces of the benchmarks: arguments, the machine they ran on, printing results. */
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import { startStack, type Stack } from '../infra/local/spawn-stack.js';

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function options<T extends Record<string, { default: string; help: string }>>(
  usage: string,
  spec: T,
): { [K in keyof T]: number } {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', default: false },
      ...Object.fromEntries(Object.entries(spec).map(([name, s]) => [name, { type: 'string' as const, default: s.default }])),
    },
  });
  if (values.help) {
    console.log(`${usage}\n\nOptions:`);
    for (const [name, s] of Object.entries(spec)) console.log(`  --${name.padEnd(14)} ${s.help} (default ${s.default})`);
    process.exit(0);
  }
  const read = values as Record<string, string | boolean | undefined>;
  return Object.fromEntries(Object.keys(spec).map((name) => [name, Number(read[name])])) as { [K in keyof T]: number };
}

export interface LoadResult {
  okPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
}

/** Drives HTTP load with autocannon; counts only 2xx answers as done work. */
export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ ...opts, setupClient: undefined });
  const ok = result['2xx'];
  return {
    okPerSecond: ok / (result.duration || 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count])),
  };
}

export function round(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * A closed loop for stateful load: `workers` independent sequences, each sending its next request
 * when the previous answered, over keep-alive connections. For chains autocannon cannot express
 * (each request depends on the last answer).
 */
export async function closedLoop(
  workers: number,
  seconds: number,
  step: (worker: number) => Promise<number>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const status = await step(worker);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const ok = Object.entries(statuses).filter(([s]) => s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  return {
    okPerSecond: ok / elapsed,
    p50: Math.round(percentile(sorted, 50) * 10) / 10,
    p99: Math.round(percentile(sorted, 99) * 10) / 10,
    ok,
    failed: latencies.length - ok,
    statuses,
  };
}

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * A keep-alive JSON client over node:http with one socket per concurrent caller. Cheaper per
 * request than fetch (no WHATWG Request/Response objects), so the load generator takes less of the
 * cores it shares with the stack; for closed loops whose next request depends on the last answer.
 */
export function jsonClient(baseUrl: string, connections: number): { post(path: string, body: unknown): Promise<JsonAnswer>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/$/, '');
  return {
    post(path, body) {
      const payload = JSON.stringify(body);
      return new Promise<JsonAnswer>((resolve, reject) => {
        const req = httpRequest(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method: 'POST',
            path: prefix + path,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = null;
              try {
                parsed = text ? JSON.parse(text) : null;
              } catch {
                parsed = text;
              }
              resolve({ status: res.statusCode ?? 0, body: parsed });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc; undefined where there is
 * none. Read before and after a load to say what one request cost each process of the stack.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Linux reports /proc CPU times in USER_HZ, 100 on every mainstream build. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The local stack for a load benchmark: the host prints no line per request (`--log-format
 * none`), which would otherwise cost the host a few percent of its CPU and the benchmark's own
 * process the reading of them. Errors are still printed.
 */
export function benchStack(options: Parameters<typeof startStack>[0] = {}): Promise<Stack> {
  return startStack({ ...options, args: ['--log-format', 'none', ...(options.args ?? [])] });
}

/** A same-run baseline server: a bare script in a process of its own, as the app's host has one. */
export interface BaselineServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Forks `script` with `args`; it sends `{ port }` over IPC once listening and stops on disconnect. */
export async function startBaselineServer(script: URL, args: string[]): Promise<BaselineServer> {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the baseline server ${script.pathname} exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
