/**
 * What every Service Bus subscriber shares: reading the event off the message, and the difference
 * between poison (malformed: log it loudly, then let the broker dead-letter it) and a transient
 * failure (rethrow: the host abandons, the broker redelivers).
 */
import type { InvocationContext } from '@azure/functions';
import { PoisonMessageError, readEventMessage, type UserEvent } from '../core/events/events.js';

export function eventOf(message: unknown, context: InvocationContext): UserEvent {
  const meta = context.triggerMetadata ?? {};
  const properties = (meta['applicationProperties'] ?? meta['userProperties'] ?? {}) as Record<string, unknown>;
  return readEventMessage({
    body: message,
    messageId: meta['messageId'],
    subject: meta['subject'] ?? meta['label'],
    eventType: properties['eventType'],
  });
}

/** Runs a subscriber's work; a poison message is logged with its reason and rethrown. */
export async function consume(message: unknown, context: InvocationContext, work: (event: UserEvent) => Promise<void>): Promise<void> {
  let event: UserEvent;
  try {
    event = eventOf(message, context);
  } catch (error) {
    if (error instanceof PoisonMessageError) {
      // No retry will fix it; Node triggers cannot dead-letter directly, so the broker does after maxDeliveryCount.
      context.error(`${context.functionName}: poison message ${String(context.triggerMetadata?.['messageId'])}: ${error.reason}`);
    }
    throw error;
  }
  await work(event);
}
