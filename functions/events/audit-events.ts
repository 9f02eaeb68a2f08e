import { app, type InvocationContext } from '@azure/functions';
import { recordAuditEvent } from '../core/events/audit.js';
import type { Services } from '../platform/services.js';
import { withServices } from '../platform/invoke.js';
import { consume } from './subscriber.js';

/** Subscription "audit": every user event, written once to the audit container. */
export async function auditEvents(message: unknown, services: Services, context: InvocationContext): Promise<void> {
  await consume(message, context, async (event) => {
    await recordAuditEvent(services.audit, event, Date.now());
  });
}

app.serviceBusTopic('auditEvents', {
  connection: 'ServiceBusConnection',
  topicName: '%USER_EVENTS_TOPIC%',
  subscriptionName: 'audit',
  handler: withServices(auditEvents),
});
