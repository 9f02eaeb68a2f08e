import rhea, { type Message } from 'rhea';
import type { Broker, Publisher } from './broker.js';
import { decodeStored, encodeStoredMessage } from './codec.js';
import type { Disposition, MessageQueue } from './message-queue.js';

/** What a $cbs or $management request is answered with; the AMQP layer turns it into the reply message. */
export interface ManagementResponse {
  status: number;
  description: string;
  condition?: string;
  body?: unknown;
}

const ok = (body?: unknown): ManagementResponse => ({ status: 200, description: 'OK', body });
const failure = (status: number, condition: string, description: string): ManagementResponse => ({ status, condition, description });
const lockLost = (): ManagementResponse =>
  failure(410, 'com.microsoft:message-lock-lost', 'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.');

/** Request bodies arrive as maps decoded to plain objects. */
type RequestBody = Record<string, unknown>;

function lockTokens(body: RequestBody): string[] {
  const tokens = body['lock-tokens'];
  return (Array.isArray(tokens) ? tokens : []).filter(Buffer.isBuffer).map((token) => rhea.uuid_to_string(token));
}

function numbers(value: unknown): number[] {
  return (Array.isArray(value) ? value : [value]).map(Number).filter((n) => Number.isFinite(n));
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) ? (value as Record<string, unknown>) : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function renewLock(queue: MessageQueue, body: RequestBody): ManagementResponse {
  const expirations: Date[] = [];
  for (const token of lockTokens(body)) {
    const lockedUntil = queue.renewLock(token);
    if (lockedUntil === undefined) return lockLost();
    expirations.push(new Date(lockedUntil));
  }
  return ok({ expirations });
}

function peek(queue: MessageQueue, body: RequestBody): ManagementResponse {
  const [from = 1] = numbers(body['from-sequence-number']);
  const [count = 1] = numbers(body['message-count']);
  const peeked = queue.peek(from, count);
  // 204 tells the SDK there is nothing (more) to peek; it then skips reading the body.
  if (peeked.length === 0) return { status: 204, description: 'No messages to peek' };
  return ok({ messages: peeked.map(({ message, lockedUntil }) => ({ message: encodeStoredMessage(message, lockedUntil) })) });
}

const DISPOSITIONS: Record<string, Disposition['kind']> = {
  completed: 'complete',
  abandoned: 'abandon',
  suspended: 'deadLetter',
  defered: 'defer', // sic: the SDK's spelling
};

function updateDisposition(queue: MessageQueue, body: RequestBody): ManagementResponse {
  const kind = DISPOSITIONS[String(body['disposition-status'])];
  if (!kind) return failure(400, 'amqp:invalid-field', `Unknown disposition-status "${String(body['disposition-status'])}"`);
  const propertiesToModify = asRecord(body['properties-to-modify']);
  const disposition: Disposition =
    kind === 'deadLetter'
      ? { kind, reason: optionalString(body['deadletter-reason']), description: optionalString(body['deadletter-description']), propertiesToModify }
      : kind === 'complete'
        ? { kind }
        : { kind, propertiesToModify };
  for (const token of lockTokens(body)) {
    if (queue.settle(token, disposition) === 'lock-lost') return lockLost();
  }
  return ok();
}

function receiveBySequenceNumber(queue: MessageQueue, body: RequestBody): ManagementResponse {
  const wanted = numbers(body['sequence-numbers']);
  // receiver-settle-mode 0 is receiveAndDelete; anything else is peek-lock.
  const taken = queue.receiveDeferred(wanted, Number(body['receiver-settle-mode'] ?? 1) !== 0);
  if (!taken) {
    return failure(404, 'com.microsoft:message-not-found', `No deferred message with sequence number(s) ${wanted.join(', ')}`);
  }
  return ok({
    messages: taken.map(({ message, lock }) => ({
      'lock-token': rhea.types.wrap_uuid(rhea.string_to_uuid(lock?.token ?? '00000000-0000-0000-0000-000000000000')),
      message: encodeStoredMessage(message, lock?.lockedUntil),
    })),
  });
}

function schedule(publisher: Publisher, body: RequestBody): ManagementResponse {
  const entries = Array.isArray(body['messages']) ? body['messages'] : [];
  const sequenceNumbers = entries.map((entry) => {
    const encoded = asRecord(entry)?.['message'];
    if (!Buffer.isBuffer(encoded)) return 0;
    // A scheduled duplicate is dropped like any other; 0 stands in for the sequence number it never got.
    return publisher.publish(decodeStored(encoded)) ?? 0;
  });
  return ok({ 'sequence-numbers': sequenceNumbers.map((n) => rhea.types.wrap_long(n)) });
}

function cancelScheduled(publisher: Publisher, body: RequestBody): ManagementResponse {
  for (const sequenceNumber of numbers(body['sequence-numbers'])) publisher.scheduled.cancel(sequenceNumber);
  return ok();
}

/** Answers one request on `$cbs` or `<entity>/$management`. */
export function handleManagementRequest(broker: Broker, address: string, request: Message): ManagementResponse {
  const operation = String(request.application_properties?.['operation'] ?? '');
  // Any token is fine locally: the connection string's key is not checked.
  if (operation === 'put-token') return { status: 202, description: 'Accepted' };
  const queue = broker.queueFor(address);
  const body = asRecord(request.body) ?? {};
  switch (operation) {
    case 'com.microsoft:renew-lock':
      return queue ? renewLock(queue, body) : notReceivable(address);
    case 'com.microsoft:peek-message':
      return queue ? peek(queue, body) : notReceivable(address);
    case 'com.microsoft:update-disposition':
      return queue ? updateDisposition(queue, body) : notReceivable(address);
    case 'com.microsoft:receive-by-sequence-number':
      return queue ? receiveBySequenceNumber(queue, body) : notReceivable(address);
    case 'com.microsoft:schedule-message':
    case 'com.microsoft:cancel-scheduled-message': {
      const publisher = broker.publisherFor(address);
      if (!publisher) return failure(404, 'amqp:not-found', `"${address}" is not a topic or queue`);
      return operation === 'com.microsoft:schedule-message' ? schedule(publisher, body) : cancelScheduled(publisher, body);
    }
    default:
      return failure(501, 'amqp:not-implemented', `The local Service Bus stand-in does not support "${operation}"`);
  }
}

function notReceivable(address: string): ManagementResponse {
  return failure(404, 'amqp:not-found', `"${address}" is not a queue, subscription or dead-letter queue`);
}
