import { app, type InvocationContext, type Timer } from '@azure/functions';
import { finishUnapplied } from '../core/matches/matches.js';
import { withServices } from '../platform/invoke.js';
import type { Services } from '../platform/services.js';

/** Finishes match results whose application stopped halfway (schedule: MATCH_REPAIR_SCHEDULE). */
export async function matchRepair(_timer: Timer, services: Pick<Services, 'matches'>, context: InvocationContext): Promise<void> {
  const finished = await finishUnapplied(services.matches);
  if (finished.length > 0) context.log(`matches: finished applying ${finished.join(', ')}`);
}

app.timer('matchRepair', { schedule: '%MATCH_REPAIR_SCHEDULE%', handler: withServices(matchRepair) });
