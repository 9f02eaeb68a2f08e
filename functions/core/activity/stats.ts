/**
 * Per-user activity counters, kept on one stats document per user so status and profile reads
 * never scan history. Counting is exactly once: the sync's items carry their buffer seq and only
 * those above the document's watermark count.
 */
import { requireKnownUser } from '../accounts/known-user.js';
import type { UserRepository } from '../accounts/ports.js';
import { requireSelfOrStaff, type Caller } from '../kernel/caller.js';
import type { Activity } from './ports.js';

export interface UserStats {
  userId: string;
  total: number;
  counts: Record<string, number>;
  lastActivity: { id: string; activity: string; timestamp: string } | null;
  /** The highest buffer seq counted: replayed entries at or below it are not counted again. */
  watermark: string;
  updatedAt: string;
}

export interface StatsRepository {
  read(userId: string): Promise<{ stats: UserStats | null; etag: string | null }>;
  /** Creates or replaces conditionally; false when another write came first (read again). */
  write(stats: UserStats, etag: string | null): Promise<boolean>;
  /** `read` for many users at once (the sync's batches); every asked user is in the answer. */
  readMany(userIds: string[]): Promise<Map<string, { stats: UserStats | null; etag: string | null }>>;
  /** `write` for many at once; per write, the document's new etag, or null when another write came first. */
  writeMany(writes: { stats: UserStats; etag: string | null }[]): Promise<(string | null)[]>;
}

/** GET /api/users/{id}/stats: the counters as a client sees them (the sync's watermark is internal). */
export async function readStats(
  deps: { stats: StatsRepository; users: Pick<UserRepository, 'findById'> },
  caller: Caller,
  userId: string,
): Promise<Omit<UserStats, 'watermark'>> {
  requireSelfOrStaff(caller, userId, 'Activity counters');
  await requireKnownUser(deps.users, caller, userId);
  const { stats } = await deps.stats.read(userId);
  const { watermark: _watermark, ...shown } = stats ?? emptyStats(userId);
  return shown;
}

export function emptyStats(userId: string): UserStats {
  return { userId, total: 0, counts: {}, lastActivity: null, watermark: '', updatedAt: new Date(0).toISOString() };
}

/** Adds activities to stats; with `seq`, only those above the watermark (which then moves up). */
export function addToStats(stats: UserStats, items: (Activity & { seq?: string })[], now: string): UserStats {
  const counted = items.filter((i) => i.seq === undefined || i.seq > stats.watermark);
  if (counted.length === 0) return stats;
  const counts = { ...stats.counts };
  let last = stats.lastActivity;
  let watermark = stats.watermark;
  for (const item of counted) {
    counts[item.activity] = (counts[item.activity] ?? 0) + 1;
    if (!last || item.timestamp >= last.timestamp) last = { id: item.id, activity: item.activity, timestamp: item.timestamp };
    if (item.seq !== undefined && item.seq > watermark) watermark = item.seq;
  }
  return { ...stats, total: stats.total + counted.length, counts, lastActivity: last, watermark, updatedAt: now };
}

/** Read, add, write conditionally; again on a lost race. */
export async function updateStats(repo: StatsRepository, userId: string, items: (Activity & { seq?: string })[], now: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { stats, etag } = await repo.read(userId);
    const current = stats ?? emptyStats(userId);
    const next = addToStats(current, items, now);
    if (next === current) return;
    if (await repo.write(next, etag)) return;
  }
  throw new Error(`stats of ${userId} kept changing under the sync; will retry next run`);
}

/** Stats as last written, with their etag: what a later batch of the same run starts from. */
export type KnownStats = Map<string, { stats: UserStats; etag: string }>;

/**
 * updateStats for a batch's users together: one bulk read and one bulk write for all of them,
 * then again for those that lost a race. Each user's items must come in buffer order across
 * calls (the watermark only moves up), which the sync's one batch after another guarantees.
 * `known` carries what this run wrote last: those users are written without a read, on the
 * condition that their document is unchanged since (else read, as any lost race).
 */
export async function updateManyStats(
  repo: StatsRepository,
  itemsByUser: Map<string, (Activity & { seq?: string })[]>,
  now: string,
  known: KnownStats = new Map(),
): Promise<void> {
  let waiting = [...itemsByUser.keys()];
  for (let attempt = 0; attempt < 10 && waiting.length > 0; attempt++) {
    const unknown = attempt === 0 ? waiting.filter((userId) => !known.has(userId)) : waiting;
    const found: Map<string, { stats: UserStats | null; etag: string | null }> = unknown.length > 0 ? await repo.readMany(unknown) : new Map();
    const writes: { stats: UserStats; etag: string | null }[] = [];
    for (const userId of waiting) {
      const { stats, etag } = found.get(userId) ?? known.get(userId) ?? { stats: null, etag: null };
      const current = stats ?? emptyStats(userId);
      const next = addToStats(current, itemsByUser.get(userId) ?? [], now);
      if (next !== current) writes.push({ stats: next, etag });
    }
    const etags = await repo.writeMany(writes);
    waiting = [];
    writes.forEach((write, i) => {
      const etag = etags[i];
      if (etag) known.set(write.stats.userId, { stats: write.stats, etag });
      else {
        known.delete(write.stats.userId);
        waiting.push(write.stats.userId);
      }
    });
  }
  if (waiting.length > 0) throw new Error(`stats of ${waiting.length} users kept changing under the sync; will retry next run`);
}
