import { app, type InvocationContext, type Timer } from '@azure/functions';
import { syncActivity as sync } from '../core/activity/sync.js';
import { withServices } from '../platform/invoke.js';
import type { Services } from '../platform/services.js';

/** Moves the Redis activity buffer into Cosmos (schedule: ACTIVITY_SYNC_SCHEDULE). Throws to be retried. */
export async function syncActivity(_timer: Timer, services: Pick<Services, 'sync' | 'syncLimits'>, context: InvocationContext): Promise<void> {
  const report = await sync({ ...services.sync, log: (line) => context.log(line) }, services.syncLimits);
  if (report.skipped) context.log('activity sync: another run holds the lock; skipped');
  else if (report.synced > 0) context.log(`activity sync: ${report.synced} activities in ${report.batches} batches`);
}

app.timer('syncActivity', { schedule: '%ACTIVITY_SYNC_SCHEDULE%', handler: withServices(syncActivity) });
