import { app, type InvocationContext, type Timer } from '@azure/functions';
import { withServices } from '../platform/invoke.js';
import type { Services } from '../platform/services.js';

/**
 * Publishes events that were recorded but could not be published when they happened (Service Bus
 * unreachable): the outbox relay (schedule: EVENT_RELAY_SCHEDULE). Throws to be retried.
 */
export async function relayEvents(_timer: Timer, services: Pick<Services, 'events'>, context: InvocationContext): Promise<void> {
  const total = await services.events.relayDue(Date.now());
  if (total > 0) context.log(`events: relayed ${total} from the outbox`);
}

app.timer('relayEvents', { schedule: '%EVENT_RELAY_SCHEDULE%', handler: withServices(relayEvents) });
