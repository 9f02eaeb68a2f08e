/** Activity: the Redis buffer game servers post into, the sync timer that moves it to Cosmos, the counters. */
import { CosmosActivityStore } from '../../adapters/cosmos/activity.js';
import { CosmosStatsRepository } from '../../adapters/cosmos/stats.js';
import { RedisActivityBuffer } from '../../adapters/redis/activity-buffer.js';
import type { ActivityDeps } from '../../core/activity/activity.js';
import type { SyncDeps, SyncLimits } from '../../core/activity/sync.js';
import type { EventPublisher } from '../../core/events/outbox.js';
import type { PresenceDeps } from '../../core/presence/presence.js';
import { featureSettings, int, schedule } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const ACTIVITY_SCHEDULE_DEFAULTS = { ACTIVITY_SYNC_SCHEDULE: '*/30 * * * * *' } as const;

export const activitySettings = featureSettings({
  shape: {
    ACTIVITY_SYNC_SCHEDULE: schedule(ACTIVITY_SCHEDULE_DEFAULTS.ACTIVITY_SYNC_SCHEDULE),
    /** Most entries one sync run moves, so it ends well inside the timer period. */
    ACTIVITY_SYNC_MAX_ITEMS: int(1, 10_000_000).default(100_000),
    ACTIVITY_SYNC_BATCH: int(1, 10_000).default(5_000),
    ACTIVITY_SYNC_TIME_BUDGET_SECONDS: int(1, 600).default(25),
    /** Past this backlog, track-activity answers 503 instead of growing Redis without bound. */
    ACTIVITY_BUFFER_MAX: int(1_000, 100_000_000).default(2_000_000),
  },
  read: (s) => ({
    activity: {
      syncMaxItems: s.ACTIVITY_SYNC_MAX_ITEMS,
      syncBatch: s.ACTIVITY_SYNC_BATCH,
      syncTimeBudgetMs: s.ACTIVITY_SYNC_TIME_BUDGET_SECONDS * 1000,
      bufferMax: s.ACTIVITY_BUFFER_MAX,
    },
  }),
});

export type ActivityConfig = ReturnType<typeof activitySettings.read>;

export interface ActivityServices {
  activity: ActivityDeps;
  sync: SyncDeps;
  syncLimits: SyncLimits;
}

export function wireActivity(config: ActivityConfig, infra: Infrastructure, presence: PresenceDeps, publisher: EventPublisher): ActivityServices {
  const buffer = new RedisActivityBuffer(infra.redis, infra.keyPrefix, config.activity.bufferMax);
  const store = new CosmosActivityStore(infra.cosmos);
  const stats = new CosmosStatsRepository(infra.cosmos);
  return {
    activity: { ...presence, buffer, store, stats, counters: infra.counters },
    sync: {
      buffer,
      store,
      stats,
      publisher,
      clock: infra.clock,
      log: (line) => console.log(line),
      counters: infra.counters,
    },
    syncLimits: { maxItems: config.activity.syncMaxItems, batchSize: config.activity.syncBatch, timeBudgetMs: config.activity.syncTimeBudgetMs },
  };
}
