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

const asText = (value: unknown): unknown => (typeof value === 'number' ? String(value) : value);

/** A message body: the library parses JSON bodies already; a text one is parsed here. */
function bodyOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * The events of a batch (`cardinality: 'many'`): message i's body with entry i of each metadata
 * array. The host drops empty strings from its string arrays, so one shorter than the batch does
 * not line up and is not used (the event type also comes from the application properties, a JSON
 * array that always lines up). A manual run passes one message, not an array.
 */
export function eventsOf(messages: unknown, context: InvocationContext): { events: UserEvent[]; poison: { messageId: unknown; reason: string }[] } {
  const meta = context.triggerMetadata ?? {};
  const batch = Array.isArray(messages) ? messages : [messages];
  const single = !Array.isArray(messages);
  const aligned = (key: string): unknown[] | undefined => {
    const values = meta[key];
    return Array.isArray(values) && values.length === batch.length ? values : undefined;
  };
  const ids = single ? [meta['messageId']] : aligned('messageIdArray');
  const subjects = single ? [meta['subject'] ?? meta['label']] : aligned('subjectArray') ?? aligned('labelArray');
  const properties = single ? [meta['applicationProperties'] ?? meta['userProperties']] : aligned('applicationPropertiesArray') ?? aligned('userPropertiesArray');
  const events: UserEvent[] = [];
  const poison: { messageId: unknown; reason: string }[] = [];
  batch.forEach((body, i) => {
    const messageId = asText(ids?.[i]);
    try {
      const eventType = ((properties?.[i] ?? {}) as Record<string, unknown>)['eventType'];
      events.push(readEventMessage({ body: bodyOf(body), messageId, subject: subjects?.[i], eventType }));
    } catch (error) {
      if (!(error instanceof PoisonMessageError)) throw error;
      poison.push({ messageId, reason: error.reason });
    }
  });
  return { events, poison };
}

/**
 * Runs a batch subscriber's work on the good events, then fails the batch if any was poison: the
 * host abandons it, the broker redelivers it (the good events are then duplicates, which the work
 * must absorb) and dead-letters the poison one after maxDeliveryCount, with whatever shared its
 * batch that many times. Throwing first would keep the good events from the work until then.
 */
export async function consumeBatch(messages: unknown, context: InvocationContext, work: (events: UserEvent[]) => Promise<void>): Promise<void> {
  const { events, poison } = eventsOf(messages, context);
  await work(events);
  if (poison.length > 0) {
    for (const p of poison) context.error(`${context.functionName}: poison message ${String(p.messageId)}: ${p.reason}`);
    throw new PoisonMessageError(`${poison.length} of ${events.length + poison.length} messages in the batch are poison`);
  }
}
