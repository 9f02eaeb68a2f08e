import { app, type InvocationContext } from '@azure/functions';
import { recordAuditEvent } from '../core/events/audit.js';
import { getServices } from '../platform/services.js';
import { consume } from './subscriber.js';

/** Subscription "audit": every user event, written once to the audit container. */
export async function auditEvents(message: unknown, context: InvocationContext): Promise<void> {
  await consume(message, context, async (event) => {
    const services = await getServices();
    await recordAuditEvent(services.audit, event, Date.now());
  });
}

app.serviceBusTopic('auditEvents', {
  connection: 'ServiceBusConnection',
  topicName: '%USER_EVENTS_TOPIC%',
  subscriptionName: 'audit',
  handler: auditEvents,
});
