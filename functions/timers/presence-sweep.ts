import { app, type InvocationContext, type Timer } from '@azure/functions';
import { sweepStale } from '../core/presence/presence.js';
import { getServices } from '../platform/services.js';

/** Marks offline everyone not seen within PRESENCE_TIMEOUT_SECONDS (schedule: PRESENCE_SWEEP_SCHEDULE). */
export async function presenceSweep(_timer: Timer, context: InvocationContext): Promise<void> {
  const services = await getServices();
  let total = 0;
  // Bounded chunks: each is one Lua call; a crowd going quiet at once takes several.
  for (let swept = -1; swept !== 0 && total < 100_000; total += swept) {
    swept = await sweepStale(services.presence, services.config.presence.timeoutSeconds, 1_000);
  }
  if (total > 0) context.log(`presence: ${total} players went offline`);
}

app.timer('presenceSweep', { schedule: '%PRESENCE_SWEEP_SCHEDULE%', handler: presenceSweep });
