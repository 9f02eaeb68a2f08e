import { app, type InvocationContext } from '@azure/functions';
import { applyLoginEvent, applyLogoutEvent, applyStatusEvent } from '../core/presence/presence.js';
import type { Services } from '../platform/services.js';
import { withServices } from '../platform/invoke.js';
import { consume } from './subscriber.js';

/**
 * Subscription "presence" (userLogin, userLogout, userStatusChange): logins bring players online,
 * logouts take them offline, reported changes converge the projection. Events older than the
 * last change are ignored, so redelivery and reordering change nothing.
 */
export async function presenceEvents(message: unknown, services: Services, context: InvocationContext): Promise<void> {
  await consume(message, context, async (event) => {
    const { presence } = services;
    if (event.type === 'userLogin') await applyLoginEvent(presence, event.data.userId, event.data.timestamp);
    else if (event.type === 'userLogout') await applyLogoutEvent(presence, event.data.userId, event.data.timestamp);
    else if (event.type === 'userStatusChange') await applyStatusEvent(presence, event.data.userId, event.data.newStatus, event.data.timestamp);
  });
}

app.serviceBusTopic('presenceEvents', {
  connection: 'ServiceBusConnection',
  topicName: '%USER_EVENTS_TOPIC%',
  subscriptionName: 'presence',
  handler: withServices(presenceEvents),
});
