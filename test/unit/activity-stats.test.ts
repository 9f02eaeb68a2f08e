import { describe, expect, it } from 'vitest';
import { updateManyStats, updateStats, type KnownStats, type StatsRepository, type UserStats } from '../../functions/core/activity/stats.js';

/** Stats in memory with etags that change on every write, as Cosmos's do; counts the reads. */
function memoryStats() {
  const docs = new Map<string, { stats: UserStats; etag: string }>();
  let version = 0;
  const calls = { reads: 0, writes: 0 };
  const write = (stats: UserStats, etag: string | null): string | null => {
    calls.writes += 1;
    const current = docs.get(stats.userId);
    if ((current?.etag ?? null) !== etag) return null;
    const next = `"${++version}"`;
    docs.set(stats.userId, { stats, etag: next });
    return next;
  };
  const read = (userId: string) => {
    calls.reads += 1;
    const doc = docs.get(userId);
    return doc ? { stats: doc.stats, etag: doc.etag } : { stats: null, etag: null };
  };
  const repo: StatsRepository = {
    read: async (userId) => read(userId),
    write: async (stats, etag) => write(stats, etag) !== null,
    readMany: async (userIds) => new Map(userIds.map((userId) => [userId, read(userId)])),
    writeMany: async (writes) => writes.map((w) => write(w.stats, w.etag)),
  };
  return { repo, docs, calls };
}

const item = (seq: string, activity = 'kill') => ({ id: `a${seq}`, userId: 'u1', activity, details: null, timestamp: `2026-01-01T00:00:0${seq}.000Z`, receivedAt: '', seq });
const NOW = '2026-01-01T00:01:00.000Z';

describe('counters in bulk', () => {
  it('writes a later batch of the same run without reading, and counts a replayed batch once', async () => {
    const { repo, docs, calls } = memoryStats();
    const known: KnownStats = new Map();
    await updateManyStats(repo, new Map([['u1', [item('1'), item('2')]]]), NOW, known);
    expect(calls.reads).toBe(1);
    await updateManyStats(repo, new Map([['u1', [item('3')]]]), NOW, known);
    expect(calls.reads).toBe(1);
    // A replay (a run that died before acknowledging) in a new run: read, nothing counted twice.
    await updateManyStats(repo, new Map([['u1', [item('2'), item('3')]]]), NOW, new Map());
    expect(docs.get('u1')?.stats).toMatchObject({ total: 3, counts: { kill: 3 }, watermark: '3' });
  });

  it('reads again when the document changed since this run wrote it, and loses neither write', async () => {
    const { repo, docs, calls } = memoryStats();
    const known: KnownStats = new Map();
    await updateManyStats(repo, new Map([['u1', [item('1')]]]), NOW, known);
    // The direct path counts an activity in between (no seq): the remembered etag is now stale.
    await updateStats(repo, 'u1', [{ ...item('x', 'loot'), seq: undefined }], NOW);
    await updateManyStats(repo, new Map([['u1', [item('2')]]]), NOW, known);
    expect(docs.get('u1')?.stats).toMatchObject({ total: 3, counts: { kill: 2, loot: 1 }, watermark: '2' });
    expect(calls.reads).toBe(3);
  });
});
