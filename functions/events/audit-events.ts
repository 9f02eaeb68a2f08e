import { app, type InvocationContext } from '@azure/functions';
import { recordAuditEvents } from '../core/events/audit.js';
import type { Services } from '../platform/services.js';
import { withServices } from '../platform/invoke.js';
import { consumeBatch } from './subscriber.js';

/**
 * Subscription "audit": every user event, written once to the audit container. In batches: one
 * invocation and one bulk write per batch instead of per event (the trigger metadata, which the
 * library converts key by key, also comes once per batch).
 */
export async function auditEvents(messages: unknown, services: Services, context: InvocationContext): Promise<void> {
  await consumeBatch(messages, context, async (events) => {
    await recordAuditEvents(services.audit, events, Date.now());
  });
}

app.serviceBusTopic('auditEvents', {
  connection: 'ServiceBusConnection',
  topicName: '%USER_EVENTS_TOPIC%',
  subscriptionName: 'audit',
  cardinality: 'many',
  handler: withServices(auditEvents),
});
