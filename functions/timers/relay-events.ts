import { app, type InvocationContext, type Timer } from '@azure/functions';
import { getServices } from '../platform/services.js';

/**
 * Publishes events that were recorded but could not be published when they happened (Service Bus
 * unreachable): the outbox relay (schedule: EVENT_RELAY_SCHEDULE). Throws to be retried.
 */
export async function relayEvents(_timer: Timer, context: InvocationContext): Promise<void> {
  const services = await getServices();
  // Younger events may still be in the hands of the request that recorded them.
  const olderThan = Date.now() - Math.max(5_000, 2 * services.config.events.publishTimeoutMs);
  let total = 0;
  for (let sent = -1; sent !== 0 && total < 10_000; total += sent) sent = await services.events.relay(olderThan, 500);
  if (total > 0) context.log(`events: relayed ${total} from the outbox`);
}

app.timer('relayEvents', { schedule: '%EVENT_RELAY_SCHEDULE%', handler: relayEvents });
