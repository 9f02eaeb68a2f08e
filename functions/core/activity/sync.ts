/**
 * The sync: moves buffered activity into Cosmos in bulk, counts it on each user's stats document
 * and publishes userActivity events. A crash or kill at any point loses nothing and duplicates
 * nothing: an entry leaves the buffer only after Cosmos has it, its stats and its event; writes are
 * idempotent by activity id; counts are guarded by a per-user watermark of buffer sequence numbers.
 */
import { activityEvent } from './activity.js';
import type { Activity } from './ports.js';
import { updateManyStats, type KnownStats, type StatsRepository } from './stats.js';
import type { EventPublisher } from '../events/outbox.js';
import type { Counters } from '../metrics/metrics.js';

/** A buffered activity with its buffer position: `seq` sorts as text in buffer order. */
export interface BufferedActivity extends Activity {
  seq: string;
}

export interface SyncLock {
  /** Keeps the lock for another ttl; false if it was lost (expired and taken). */
  extend(): Promise<boolean>;
  release(): Promise<void>;
}

export interface SyncBuffer {
  /** One sync at a time across every instance; null if another holds it. */
  lock(ttlMs: number): Promise<SyncLock | null>;
  /** Entries an earlier run left unacknowledged first (it died), then new ones. */
  next(count: number): Promise<{ entries: BufferedActivity[]; unreadable: string[] }>;
  /** Removes entries from the buffer: only once Cosmos has them. */
  acknowledge(seqs: string[]): Promise<void>;
}

export type WriteOutcome = { outcome: 'created' } | { outcome: 'existing'; storedSeq: string | null };

export interface SyncStore {
  /** Creates each document unless it exists; for existing ones, the seq they were stored with. */
  createMany(items: BufferedActivity[]): Promise<WriteOutcome[]>;
}

export interface SyncDeps {
  buffer: SyncBuffer;
  store: SyncStore;
  stats: StatsRepository;
  publisher: EventPublisher;
  clock: { now(): number };
  log: (message: string) => void;
  counters: Counters;
}

export interface SyncLimits {
  /** At most this many entries per run, so a run ends well inside the timer period. */
  maxItems: number;
  batchSize: number;
  timeBudgetMs: number;
}

export interface SyncReport {
  skipped: boolean;
  synced: number;
  batches: number;
  unreadable: number;
}

/**
 * How long the sync lock lasts without a heartbeat. Each batch renews it, so a live run keeps it
 * however long it takes, and a run that died frees the buffer within this time.
 */
export const SYNC_LOCK_TTL_MS = 60_000;

export async function syncActivity(deps: SyncDeps, limits: SyncLimits): Promise<SyncReport> {
  const lock = await deps.buffer.lock(SYNC_LOCK_TTL_MS);
  if (!lock) return { skipped: true, synced: 0, batches: 0, unreadable: 0 };
  const report: SyncReport = { skipped: false, synced: 0, batches: 0, unreadable: 0 };
  const started = deps.clock.now();
  // The counters this run wrote last, so its next batches need no read of them.
  const known: KnownStats = new Map();
  // Two batches overlap: while one is counted, published and acknowledged, the next is written to
  // Cosmos (idempotent; it leaves the buffer only in its own turn). Counting stays one batch after
  // another, in buffer order, as the watermark needs.
  let finishing: Promise<void> = Promise.resolve();
  let taken = 0;
  try {
    while (taken < limits.maxItems && deps.clock.now() - started < limits.timeBudgetMs) {
      const { entries, unreadable } = await deps.buffer.next(Math.min(limits.batchSize, limits.maxItems - taken));
      if (unreadable.length > 0) {
        // Written by something other than this app's ingest: logged and dropped, not retried forever.
        deps.log(`activity sync: dropped ${unreadable.length} unreadable buffer entries (${unreadable.slice(0, 3).join(', ')})`);
        await deps.buffer.acknowledge(unreadable);
        report.unreadable += unreadable.length;
      }
      if (entries.length === 0) break;
      taken += entries.length;
      const outcomes = await deps.store.createMany(entries);
      await finishing;
      finishing = finishBatch(deps, entries, outcomes, known).then(() => {
        report.synced += entries.length;
        deps.counters.add('activitiesSynced', entries.length);
        report.batches += 1;
      });
      // Observed here so that a failure while the next batch is written is not an unhandled
      // rejection; it is thrown where `finishing` is awaited.
      finishing.catch(() => undefined);
      // Lost means another run took over (this one stalled past the ttl): stop; nothing is lost,
      // the other run sees whatever this one left unacknowledged.
      if (!(await lock.extend())) break;
    }
    await finishing;
    return report;
  } finally {
    // The lock is held until the last batch has settled, whatever happened.
    await finishing.catch(() => undefined);
    await lock.release();
  }
}

/** A written batch's turn: count it, publish it, acknowledge it. */
async function finishBatch(deps: SyncDeps, entries: BufferedActivity[], outcomes: WriteOutcome[], known: KnownStats): Promise<void> {
  // Created now, or created by a run that died before acknowledging (same seq): this entry's
  // activity. An existing document with another seq is a resend of an activity already synced.
  const own = entries.filter((entry, i) => {
    const result = outcomes[i];
    return result?.outcome === 'created' || (result?.outcome === 'existing' && result.storedSeq === entry.seq);
  });
  const byUser = new Map<string, BufferedActivity[]>();
  for (const entry of own) {
    const items = byUser.get(entry.userId);
    if (items) items.push(entry);
    else byUser.set(entry.userId, [entry]);
  }
  const now = new Date(deps.clock.now()).toISOString();
  // Counting and publishing are independent of each other; the entries leave the buffer only once both are done.
  await Promise.all([
    updateManyStats(deps.stats, byUser, now, known),
    // Same event ids as any earlier attempt: Service Bus duplicate detection and idempotent consumers absorb a replay.
    deps.publisher.publish(own.map(activityEvent)),
  ]);
  await deps.buffer.acknowledge(entries.map((e) => e.seq));
}
