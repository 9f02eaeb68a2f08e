import { app, type InvocationContext, type Timer } from '@azure/functions';
import { sweepAllStale } from '../core/presence/presence.js';
import { withServices } from '../platform/invoke.js';
import type { Services } from '../platform/services.js';

/** Marks offline everyone not seen within PRESENCE_TIMEOUT_SECONDS (schedule: PRESENCE_SWEEP_SCHEDULE). */
export async function presenceSweep(_timer: Timer, services: Pick<Services, 'presence'>, context: InvocationContext): Promise<void> {
  const total = await sweepAllStale(services.presence);
  if (total > 0) context.log(`presence: ${total} players went offline`);
}

app.timer('presenceSweep', { schedule: '%PRESENCE_SWEEP_SCHEDULE%', handler: withServices(presenceSweep) });
