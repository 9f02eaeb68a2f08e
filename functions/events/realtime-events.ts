import { app, type InvocationContext } from '@azure/functions';
import { pushEvent } from '../core/realtime/realtime.js';
import type { Services } from '../platform/services.js';
import { withServices } from '../platform/invoke.js';
import { consume } from './subscriber.js';

/**
 * Subscription "realtime": presence changes, account news and catalog changes, pushed to the
 * sockets following their topic. A failed push is retried by the broker; clients de-duplicate by id.
 */
export async function realtimeEvents(message: unknown, services: Pick<Services, 'realtime'>, context: InvocationContext): Promise<void> {
  await consume(message, context, async (event) => {
    await pushEvent(services.realtime.deps, event);
  });
}

app.serviceBusTopic('realtimeEvents', {
  connection: 'ServiceBusConnection',
  topicName: '%USER_EVENTS_TOPIC%',
  subscriptionName: 'realtime',
  handler: withServices(realtimeEvents),
});
