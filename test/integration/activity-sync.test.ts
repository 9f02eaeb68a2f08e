/**
 * The activity pipeline against real parts: Redis (buffer), the Cosmos stand-in (history, stats)
 * and the Service Bus stand-in (events). Crashes are injected by wrapping real adapters.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosActivityStore } from '../../functions/adapters/cosmos/activity.js';
import { CosmosStatsRepository } from '../../functions/adapters/cosmos/stats.js';
import { RedisCounters } from '../../functions/adapters/redis/metrics.js';
import { RedisActivityBuffer } from '../../functions/adapters/redis/activity-buffer.js';
import { ServiceBusEventPublisher } from '../../functions/adapters/servicebus/publisher.js';
import type { Activity } from '../../functions/core/activity/ports.js';
import { syncActivity, type SyncDeps } from '../../functions/core/activity/sync.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import { EVENT_DATA_SCHEMAS } from '../../functions/core/events/events.js';
import { bufferBacklog, storedActivityCount } from '../../bench/activity-counts.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { testRedis } from '../support/redis-client.js';
import { startTestServiceBus, type TestServiceBus } from '../support/service-bus.js';

const redis = testRedis('sync');
let cosmos: TestCosmos;
let bus: TestServiceBus;
let publisher: ServiceBusEventPublisher;
let n = 0;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  bus = await startTestServiceBus();
  publisher = new ServiceBusEventPublisher({ connectionString: bus.broker.connectionString, fullyQualifiedNamespace: undefined, topic: 'user-events' }, undefined);
});
afterAll(async () => {
  await publisher?.close();
  await bus?.stop();
  await cosmos?.stop();
  await redis.stop();
});

/** A fresh buffer (own key space) and the shared Cosmos. */
function pipeline(maxBacklog = 1_000_000) {
  const keyPrefix = `${redis.prefix}${++n}:`;
  const buffer = new RedisActivityBuffer(redis.get, keyPrefix, maxBacklog);
  const store = new CosmosActivityStore(cosmos.handle);
  const stats = new CosmosStatsRepository(cosmos.handle);
  const counters = new RedisCounters(redis.get, keyPrefix);
  const deps: SyncDeps = { buffer, store, stats, publisher, clock: { now: () => Date.now() }, log: () => {}, counters };
  const backlog = () => bufferBacklog(redis.get, keyPrefix);
  const count = (userId: string) => storedActivityCount(cosmos.handle.container('activity'), userId);
  return { buffer, store, stats, deps, backlog, count, counters };
}

const limits = { maxItems: 100_000, batchSize: 200, timeBudgetMs: 60_000 };

function activities(users: string[], perUser: number, kind = 'kill'): Activity[] {
  const now = new Date().toISOString();
  return users.flatMap((userId) =>
    Array.from({ length: perUser }, (_, i) => ({
      id: `act-${i}`,
      userId,
      activity: i % 2 ? kind : 'death',
      details: { weapon: 'bow', i },
      timestamp: new Date(Date.now() - (perUser - i) * 1000).toISOString(),
      receivedAt: now,
    })),
  );
}

async function countedTotal(p: ReturnType<typeof pipeline>, userId: string): Promise<number> {
  return (await p.stats.read(userId)).stats?.total ?? 0;
}

describe('activity sync', () => {
  it('moves every buffered activity into Cosmos, counts it, publishes it, and empties the buffer', async () => {
    const p = pipeline();
    const users = [randomUUID(), randomUUID(), randomUUID()];
    const appendedAt = Date.now();
    await p.buffer.append(activities(users, 150));
    await bus.drain('audit', 100);
    const waiting = await p.counters.activityBacklog();
    expect(waiting.entries).toBe(450);
    expect(waiting.oldestAtMs).toBeGreaterThanOrEqual(appendedAt - 5);
    const report = await syncActivity(p.deps, limits);
    expect(report).toEqual({ skipped: false, synced: 450, batches: 3, unreadable: 0 });
    expect(await p.counters.activityBacklog()).toEqual({ entries: 0, oldestAtMs: null });
    // Counters are added without waiting: give the increments their round trip.
    await new Promise((r) => setTimeout(r, 50));
    expect((await p.counters.counters()).activitiesSynced).toBe(450);
    for (const userId of users) {
      expect(await p.count(userId)).toBe(150);
      const { stats } = await p.stats.read(userId);
      expect(stats).toMatchObject({ total: 150, counts: { kill: 75, death: 75 }, lastActivity: { id: 'act-149', activity: 'kill' } });
    }
    expect(await p.backlog()).toBe(0);
    const events = await bus.drain('audit');
    expect(events).toHaveLength(450);
    expect(new Set(events.map((e) => e.messageId)).size).toBe(450);
    for (const e of events.slice(0, 5)) {
      expect(e.subject).toBe('userActivity');
      expect(e.eventType).toBe('userActivity');
      expect(EVENT_DATA_SCHEMAS.userActivity.safeParse(e.body).success).toBe(true);
    }
    // userActivity is not for the presence subscription.
    expect(bus.waiting('presence')).toBe(0);
  });

  it('writes one document per activity id however often the same items are sent', async () => {
    const p = pipeline();
    const userId = randomUUID();
    const items = activities([userId], 40);
    await p.buffer.append(items);
    await p.buffer.append(items);
    await syncActivity(p.deps, limits);
    await p.buffer.append(items.slice(0, 10));
    await syncActivity(p.deps, limits);
    expect(await p.count(userId)).toBe(40);
    expect(await countedTotal(p, userId)).toBe(40);
    expect(await p.backlog()).toBe(0);
    await bus.drain('audit', 100);
  });

  it('loses and duplicates nothing when killed between the Cosmos write and the acknowledgement', async () => {
    const p = pipeline();
    const users = [randomUUID(), randomUUID()];
    await p.buffer.append(activities(users, 300));
    let acks = 0;
    const crashing: SyncDeps = {
      ...p.deps,
      buffer: {
        lock: (ttl) => p.buffer.lock(ttl),
        next: (count) => p.buffer.next(count),
        // The second batch reaches Cosmos, its stats and its events, then the process "dies".
        acknowledge: async (seqs) => {
          if (++acks === 2) throw new Error('killed');
          await p.buffer.acknowledge(seqs);
        },
      },
    };
    await expect(syncActivity(crashing, limits)).rejects.toThrow('killed');
    expect(await p.backlog()).toBe(400);
    const rerun = await syncActivity(p.deps, limits);
    expect(rerun.synced).toBe(400);
    for (const userId of users) {
      expect(await p.count(userId)).toBe(300);
      expect(await countedTotal(p, userId)).toBe(300);
    }
    expect(await p.backlog()).toBe(0);
    // The replayed batch was published twice under the same message ids: duplicate detection keeps one.
    const events = await bus.drain('audit');
    expect(new Set(events.map((e) => e.messageId)).size).toBe(600);
    expect(events).toHaveLength(600);
  });

  it('counts exactly once when killed between the Cosmos write and the stats update', async () => {
    const p = pipeline();
    const userId = randomUUID();
    await p.buffer.append(activities([userId], 100));
    let writes = 0;
    const crashing: SyncDeps = {
      ...p.deps,
      stats: {
        read: (id) => p.stats.read(id),
        write: (s, etag) => p.stats.write(s, etag),
        readMany: (ids) => p.stats.readMany(ids),
        writeMany: async (batch) => (++writes === 1 ? Promise.reject(new Error('killed')) : p.stats.writeMany(batch)),
      },
    };
    await expect(syncActivity(crashing, { ...limits, batchSize: 100 })).rejects.toThrow('killed');
    expect(await p.count(userId)).toBe(100);
    expect(await countedTotal(p, userId)).toBe(0);
    await syncActivity(p.deps, limits);
    expect(await countedTotal(p, userId)).toBe(100);
    await bus.drain('audit', 100);
  });

  it('runs one sync at a time', async () => {
    const p = pipeline();
    await p.buffer.append(activities([randomUUID()], 50));
    const [a, b] = await Promise.all([syncActivity(p.deps, limits), syncActivity(p.deps, limits)]);
    expect([a.skipped, b.skipped].sort()).toEqual([false, true]);
    expect(a.synced + b.synced).toBe(50);
    await bus.drain('audit', 100);
  });

  it('keeps its lock while it beats, and loses it to another run once a dead one stops beating', async () => {
    const p = pipeline();
    const first = await p.buffer.lock(300);
    expect(first).not.toBeNull();
    expect(await p.buffer.lock(300)).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect(await first?.extend()).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await p.buffer.lock(300)).toBeNull(); // extended: still held
    await new Promise((r) => setTimeout(r, 400));
    const second = await p.buffer.lock(300); // the first stopped beating: it lapsed
    expect(second).not.toBeNull();
    expect(await first?.extend()).toBe(false);
    await first?.release(); // releasing a lock one no longer holds leaves the new holder's alone
    expect(await p.buffer.lock(300)).toBeNull();
    await second?.release();
    expect(await p.buffer.lock(300)).not.toBeNull();
  });

  it("keeps each player's latest 50 buffered items for reads before the sync, batch after batch", async () => {
    const p = pipeline();
    const [a = '', b = ''] = [randomUUID(), randomUUID()];
    const all = activities([a], 130).map((item, i) => ({ ...item, id: `recent-${i}` }));
    // Mixed batches: other players' items in between, some batches with several of a's.
    for (let i = 0; i < all.length; i += 7) await p.buffer.append([...all.slice(i, i + 7), ...activities([b], 4).map((item, j) => ({ ...item, id: `b-${i}-${j}` }))]);
    const recent = await p.buffer.recent(a);
    expect(recent.map((item) => item.id).sort()).toEqual(all.slice(-50).map((item) => item.id).sort());
    expect((await p.buffer.recent(b)).length).toBe(50);
    expect(await p.buffer.recent(randomUUID())).toEqual([]);
  });

  it('answers a resent id with its first copy, as Cosmos keeps the first write', async () => {
    const p = pipeline();
    const [item] = activities([randomUUID()], 1) as [Activity];
    await p.buffer.append([item]);
    await p.buffer.append([{ ...item, receivedAt: new Date(Date.parse(item.receivedAt) + 5_000).toISOString(), timestamp: new Date(Date.parse(item.timestamp) + 5_000).toISOString() }]);
    expect(await p.buffer.recent(item.userId)).toEqual([item]);
  });

  it('stops taking activity when the backlog is full', async () => {
    const p = pipeline(1_000);
    await p.buffer.append(activities([randomUUID()], 990));
    const error = await p.buffer.append(activities([randomUUID()], 20)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('SERVICE_BUSY');
    expect((error as DomainError).retryAfterSeconds).toBe(5);
  });

  it('bounds the work of one run', async () => {
    const p = pipeline();
    await p.buffer.append(activities([randomUUID()], 120));
    const first = await syncActivity(p.deps, { ...limits, maxItems: 50, batchSize: 20 });
    expect(first.synced).toBe(50);
    expect(await p.backlog()).toBe(70);
    await syncActivity(p.deps, limits);
    expect(await p.backlog()).toBe(0);
    await bus.drain('audit', 100);
  });
});
