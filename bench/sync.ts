/**
 * Sync: time and activities/s to drain 100,000 buffered activities into the Cosmos stand-in, then
 * the same again with the sync process SIGKILLed in the middle and run again: nothing lost,
 * nothing doubled (documents and counters checked). Next to it, in the same run, the baseline:
 * the stand-in's own bulk rate through the same SDK, the same documents written into a fresh
 * container the way the sync writes them (same call, chunk size and calls in flight).
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { JSONObject, OperationInput } from '@azure/cosmos';
import { fileURLToPath } from 'node:url';
import { BULK_CHUNK, BULK_IN_FLIGHT } from '../functions/adapters/cosmos/bulk.js';
import { RedisActivityBuffer } from '../functions/adapters/redis/activity-buffer.js';
import { bufferBacklog } from './activity-counts.js';
import { connectRedis } from '../functions/adapters/redis/client.js';
import { sortKey, type Activity } from '../functions/core/activity/ports.js';
import { SYNC_LOCK_TTL_MS } from '../functions/core/activity/sync.js';
import { startStack } from '../infra/local/spawn-stack.js';
import { countExisting, runFunction, stackCosmos, stackEnvironment } from './stack-services.js';
import { report } from './results.js';
import { machine, options, processCpuMs, round } from './support.js';

const args = options('Usage: npm run bench:sync -- [options]', {
  count: { default: '100000', help: 'activities to buffer and drain, per round' },
  users: { default: '1000', help: 'distinct players they are about' },
  'kill-at': { default: '0.4', help: 'fraction drained when the sync process is killed' },
});

const stack = await startStack({
  label: 'bench-sync',
  env: { ACTIVITY_SYNC_SCHEDULE: '0 0 0 1 1 *', ACTIVITY_SYNC_TIME_BUDGET_SECONDS: '600', ACTIVITY_SYNC_MAX_ITEMS: '10000000' },
});
const redis = await connectRedis(stack.redisUrl);
const buffer = new RedisActivityBuffer(async () => redis, stack.keyPrefix, 100_000_000);
const backlog = () => bufferBacklog(async () => redis, stack.keyPrefix);
const cosmos = await stackCosmos(stack);

const written: { id: string; partition: string }[] = [];
const everyone: string[] = [];

/** Buffers a round of activities; returns them. */
async function fill(round: number): Promise<Activity[]> {
  const all: Activity[] = [];
  const users = Array.from({ length: args.users }, () => randomUUID());
  everyone.push(...users);
  const now = new Date().toISOString();
  for (let start = 0; start < args.count; start += 1000) {
    const items: Activity[] = [];
    for (let i = start; i < Math.min(start + 1000, args.count); i++) {
      const userId = users[i % users.length] ?? '';
      items.push({ id: `r${round}-${i}`, userId, activity: i % 3 ? 'kill' : 'loot', details: { score: i % 97 }, timestamp: now, receivedAt: now });
      written.push({ id: `r${round}-${i}`, partition: userId });
    }
    await buffer.append(items);
    all.push(...items);
  }
  return all;
}

/** The documents the sync writes for these activities, as the adapter shapes them. */
function documentsOf(activities: Activity[]): JSONObject[] {
  return activities.map((a, i) => ({ ...a, type: 'activity', seq: String(i).padStart(26, '0'), sortKey: sortKey(a) }) as unknown as JSONObject);
}

/**
 * The stand-in alone: the same documents created through the SDK into a fresh container, the way
 * the sync calls it (items.bulk of BULK_CHUNK operations, BULK_IN_FLIGHT calls at a time). Documents/s.
 */
async function standInBulkRate(documents: JSONObject[]): Promise<number> {
  const { container } = await cosmos.database.containers.create({ id: `baseline-${randomUUID()}`, partitionKey: { paths: ['/userId'] } });
  try {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: BULK_IN_FLIGHT }, async () => {
        while (next < documents.length) {
          const chunk = documents.slice(next, (next += BULK_CHUNK));
          const operations: OperationInput[] = chunk.map((doc) => ({ operationType: 'Create', partitionKey: doc['userId'] as string, resourceBody: doc }));
          const failed = (await container.items.bulk(operations)).filter((r) => r.statusCode !== 201);
          if (failed.length > 0) throw new Error(`the stand-in refused ${failed.length} baseline documents`);
        }
      }),
    );
    return documents.length / ((performance.now() - started) / 1000);
  } finally {
    await container.delete();
  }
}

/** The launcher (it runs the Cosmos and Service Bus stand-ins) and the functions host it started. */
function stackPids(): { standIns: number | undefined; host: number | undefined } {
  const standIns = stack.process.pid;
  try {
    const children = readFileSync(`/proc/${standIns}/task/${standIns}/children`, 'utf8').trim().split(' ').map(Number);
    return { standIns, host: children.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('host-main')) };
  } catch {
    return { standIns, host: undefined };
  }
}

const cpuSecondsOf = (pid: number | undefined) => (pid === undefined ? undefined : (processCpuMs(pid) ?? NaN) / 1000);

/** CPU seconds the stand-ins and the host spend on `work`. */
async function cpuOf<T>(work: () => Promise<T>): Promise<{ result: T; standIns: number; host: number; bench: number }> {
  const { standIns, host } = stackPids();
  const before = [cpuSecondsOf(standIns) ?? NaN, cpuSecondsOf(host) ?? NaN];
  const own = process.cpuUsage();
  const result = await work();
  const { user, system } = process.cpuUsage(own);
  return {
    result,
    standIns: (cpuSecondsOf(standIns) ?? NaN) - (before[0] ?? NaN),
    host: (cpuSecondsOf(host) ?? NaN) - (before[1] ?? NaN),
    bench: (user + system) / 1e6,
  };
}

/** Runs the sync until the buffer is empty; a run skipped for the lock is retried a moment later. */
async function drainWithAdmin(): Promise<number> {
  const started = performance.now();
  while ((await backlog()) > 0) {
    const before = await backlog();
    await runFunction(stack, 'syncActivity');
    if ((await backlog()) === before) await new Promise((r) => setTimeout(r, 1_000));
  }
  return (performance.now() - started) / 1000;
}

/** The sum of every player's counter: one point read per player. */
async function countedTotal(): Promise<number> {
  const totals = await Promise.all(everyone.map(async (userId) => (await cosmos.container('stats').item(userId, userId).read<{ total: number }>()).resource?.total ?? 0));
  return totals.reduce((sum, n) => sum + n, 0);
}

try {
  console.log(`machine:  ${machine()}`);
  const first = await fill(1);
  const base = await cpuOf(() => standInBulkRate(documentsOf(first)));
  const baseline = base.result;
  const drain = await cpuOf(drainWithAdmin);
  const seconds = drain.result;
  const docs = await countExisting(cosmos, 'activity', written);
  const app = args.count / seconds;
  console.log(`drain:    ${args.count} activities in ${round(seconds, 1)} s = ${round(app)} activities/s (documents now ${docs}, counted ${await countedTotal()})`);
  console.log(`baseline: the stand-in alone, items.bulk of ${BULK_CHUNK}, ${BULK_IN_FLIGHT} in flight: ${round(baseline)} documents/s`);
  console.log(`ratio:    sync ${round((100 * app) / baseline)}% of the stand-in's bulk rate`);
  report({
    name: `sync, ${round(args.count)} activities`,
    figure: app,
    unit: 'activities/s',
    baseline: { figure: baseline, what: `the stand-in's items.bulk of ${BULK_CHUNK}, ${BULK_IN_FLIGHT} in flight` },
    target: 0.8,
  });
  const perThousand = (cpu: number) => `${round((1000 * cpu) / args.count, 2)} s`;
  console.log(
    `cpu:      per 1,000 activities: baseline: stand-ins (Cosmos and Service Bus, one thread) ${perThousand(base.standIns)}, its SDK client ${perThousand(base.bench)}; ` +
      `sync: stand-ins ${perThousand(drain.standIns)} (the audit subscriber's writes included), functions host ${perThousand(drain.host)}`,
  );

  await fill(2);
  const worker = fork(fileURLToPath(new URL('./sync-worker.js', import.meta.url)), { env: { ...process.env, ...stackEnvironment(stack) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const killAt = Math.floor(args.count * (1 - args['kill-at']));
  const started = performance.now();
  while ((await backlog()) > killAt) {
    if (worker.exitCode !== null) throw new Error(`the sync worker exited (${worker.exitCode}) before it was killed`);
    await new Promise((r) => setTimeout(r, 50));
  }
  worker.kill('SIGKILL');
  await new Promise((r) => worker.once('exit', r));
  const left = await backlog();
  const rest = await drainWithAdmin();
  const total = await countExisting(cosmos, 'activity', written);
  const counted = await countedTotal();
  const expected = 2 * args.count;
  console.log(
    `kill:     sync SIGKILLed with ${left} of ${args.count} left (after ${round((performance.now() - started) / 1000 - rest, 1)} s); ` +
      `the next runs drained the rest in ${round(rest, 1)} s, waiting first for the dead run's lock to lapse (at most ${SYNC_LOCK_TTL_MS / 1000} s)`,
  );
  console.log(`result:   ${total} documents, ${counted} counted, expected ${expected}: ${total === expected && counted === expected ? 'nothing lost, nothing doubled' : 'MISMATCH'}`);
  if (total !== expected || counted !== expected) process.exitCode = 1;
} finally {
  cosmos.client.dispose();
  redis.destroy();
  await stack.stop();
}
