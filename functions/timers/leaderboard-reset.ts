import { app, type InvocationContext, type Timer } from '@azure/functions';
import { archiveFinishedPeriods } from '../core/leaderboards/leaderboards.js';
import { withServices } from '../platform/invoke.js';
import type { Services } from '../platform/services.js';

/** Archives each board's just-finished period, once across instances (schedule: LEADERBOARD_RESET_SCHEDULE). */
export async function leaderboardReset(_timer: Timer, services: Pick<Services, 'leaderboards'>, context: InvocationContext): Promise<void> {
  for (const { boardId, period } of await archiveFinishedPeriods(services.leaderboards)) context.log(`leaderboards: archived ${boardId} period ${period}`);
}

app.timer('leaderboardReset', { schedule: '%LEADERBOARD_RESET_SCHEDULE%', handler: withServices(leaderboardReset) });
