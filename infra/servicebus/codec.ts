import { randomUUID } from 'node:crypto';
import rhea, { type Typed } from 'rhea';
import type { MessageFacts } from './filters.js';
import type { StoredMessage } from './message-queue.js';

const { types } = rhea;

// rhea ships its section reader/writer and the header/properties composites but its typings omit them;
// this is the one place that reaches for them, so the bare message can be forwarded byte for byte.
interface RheaCodecInternals {
  Reader: new (buffer: Buffer) => { position: number; read(): Typed; remaining(): number };
  Writer: new () => { write(value: Typed): void; toBuffer(): Buffer };
}
type Composite = { described(): Typed };
interface RheaComposites {
  header(fields: Record<string, unknown>): Composite;
  properties(fields: Record<string, unknown>): Composite;
  accepted(): Composite;
  rejected(fields: { error?: { condition: string; description: string } }): Composite;
  modified(fields: Record<string, unknown>): Composite;
  released(): Composite;
}
const { Reader, Writer } = types as unknown as RheaCodecInternals;
const sections = rhea.message as unknown as RheaComposites;

/** Delivery states the broker settles with; `lockLost` is how Service Bus refuses a settlement whose lock has gone. */
export const outcomes = {
  accepted: (): Typed => sections.accepted().described(),
  rejected: (): Typed => sections.rejected({}).described(),
  modified: (fields: Record<string, unknown>): Typed => sections.modified(fields).described(),
  released: (): Typed => sections.released().described(),
  lockLost: (description: string): Typed =>
    sections.rejected({ error: { condition: 'com.microsoft:message-lock-lost', description } }).described(),
};

const HEADER = 0x70;
const DELIVERY_ANNOTATIONS = 0x71;
const MESSAGE_ANNOTATIONS = 0x72;
const PROPERTIES = 0x73;
const APPLICATION_PROPERTIES = 0x74;
const SYMBOLIC_CODES: Record<string, number> = {
  'amqp:header:list': HEADER,
  'amqp:delivery-annotations:map': DELIVERY_ANNOTATIONS,
  'amqp:message-annotations:map': MESSAGE_ANNOTATIONS,
  'amqp:properties:list': PROPERTIES,
  'amqp:application-properties:map': APPLICATION_PROPERTIES,
};

const PROPERTY_FIELDS = ['message_id', 'user_id', 'to', 'subject', 'reply_to', 'correlation_id', 'content_type', 'content_encoding', 'absolute_expiry_time', 'creation_time', 'group_id', 'group_sequence', 'reply_to_group_id'];

/**
 * A message as the broker keeps it: the sender's header and annotations decoded (the broker rewrites those on
 * every delivery) and the bare message (properties, application properties, body, footer) as the sender encoded it.
 */
export interface StoredContent {
  header: { durable?: boolean; priority?: number; ttl?: number };
  annotations: Record<string, unknown>;
  properties: Buffer;
  applicationProperties: Typed | undefined;
  rest: Buffer;
  facts: MessageFacts;
  ttlMs: number | undefined;
  /** x-opt-scheduled-enqueue-time as epoch ms, when the sender scheduled the message. */
  scheduledAt: number | undefined;
}

function sectionCode(section: Typed): number | undefined {
  const descriptor: unknown = section.descriptor?.value;
  if (typeof descriptor === 'number') return descriptor;
  if (typeof descriptor === 'string') return SYMBOLIC_CODES[descriptor];
  return undefined;
}

function encode(...values: Typed[]): Buffer {
  const writer = new Writer();
  for (const value of values) writer.write(value);
  return writer.toBuffer();
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value) && value.length === 16) return rhea.uuid_to_string(value);
  return String(value);
}

/** Splits an encoded AMQP message (format 0) into what the broker keeps. Assigns a message_id when the sender set none, as Service Bus does. */
export function decodeStored(encoded: Buffer): StoredContent {
  const decoded = rhea.message.decode(encoded);
  const reader = new Reader(encoded);
  let properties: Buffer | undefined;
  let applicationProperties: Typed | undefined;
  let restStart = encoded.length;
  while (reader.remaining() > 0) {
    const start = reader.position;
    const section = reader.read();
    const code = sectionCode(section);
    if (code === PROPERTIES) properties = encoded.subarray(start, reader.position);
    else if (code === APPLICATION_PROPERTIES) applicationProperties = section;
    else if (code === undefined || code > APPLICATION_PROPERTIES) {
      restStart = start;
      break;
    }
  }
  if (decoded['message_id'] === undefined || decoded['message_id'] === null) {
    decoded['message_id'] = randomUUID().replaceAll('-', '');
    const fields = Object.fromEntries(PROPERTY_FIELDS.map((field) => [field, decoded[field]]));
    properties = encode(sections.properties(fields).described());
  }
  const applicationValues = (decoded['application_properties'] ?? {}) as Record<string, unknown>;
  const ttl = typeof decoded['ttl'] === 'number' ? decoded['ttl'] : undefined;
  const annotations = (decoded['message_annotations'] ?? {}) as Record<string, unknown>;
  const scheduled = annotations['x-opt-scheduled-enqueue-time'];
  return {
    header: { durable: decoded['durable'], priority: decoded['priority'], ttl },
    annotations,
    scheduledAt: scheduled instanceof Date ? scheduled.getTime() : typeof scheduled === 'number' ? scheduled : undefined,
    properties: properties ?? Buffer.alloc(0),
    applicationProperties,
    rest: encoded.subarray(restStart),
    ttlMs: ttl,
    facts: {
      messageId: asText(decoded['message_id']),
      correlationId: asText(decoded['correlation_id']),
      subject: asText(decoded['subject']),
      to: asText(decoded['to']),
      replyTo: asText(decoded['reply_to']),
      sessionId: asText(decoded['group_id']),
      replyToSessionId: asText(decoded['reply_to_group_id']),
      contentType: asText(decoded['content_type']),
      applicationProperties: applicationValues,
    },
  };
}

/** The individual messages inside a batch envelope (message format 0x80013700): each data section is one encoded message. */
export function unpackBatch(envelope: Buffer): Buffer[] {
  const body: unknown = rhea.message.decode(envelope)['body'];
  const content = (body as { content?: unknown } | undefined)?.content;
  const parts = Array.isArray(content) ? content : [content];
  return parts.filter((part): part is Buffer => Buffer.isBuffer(part));
}

/** A copy whose application properties carry `changes` (dead-letter reason, properties-to-modify), keeping other entries' encoded types. */
export function withApplicationProperties(content: StoredContent, changes: Record<string, unknown>): StoredContent {
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return content;
  // The reader hands back the map itself with the section descriptor attached, so its value is the flat key/value list.
  const existing = content.applicationProperties?.value as Typed[] | undefined;
  const merged: Record<string, Typed> = {};
  for (let i = 0; existing && i + 1 < existing.length; i += 2) {
    const key = existing[i];
    const value = existing[i + 1];
    if (key && value) merged[String(key.value)] = value;
  }
  for (const [name, value] of entries) merged[name] = types.wrap(value);
  const section: Typed = types.described(types.wrap_ulong(APPLICATION_PROPERTIES), types.wrap_map(merged));
  const values = { ...content.facts.applicationProperties, ...Object.fromEntries(entries) };
  return { ...content, applicationProperties: section, facts: { ...content.facts, applicationProperties: values } };
}

/** Encodes the message for one delivery: a fresh header and broker annotations, then the sender's bare message. */
function encodeDelivery(content: StoredContent, deliveryCount: number, brokerAnnotations: Record<string, Typed | Date>): Buffer {
  const header = sections.header({ ...content.header, delivery_count: deliveryCount }).described();
  const annotations = types.described(types.wrap_ulong(MESSAGE_ANNOTATIONS), types.wrap_symbolic_map({ ...content.annotations, ...brokerAnnotations }));
  const parts = [encode(header, annotations), content.properties];
  if (content.applicationProperties) parts.push(encode(content.applicationProperties));
  parts.push(content.rest);
  return Buffer.concat(parts);
}

/** A stored message as a receiver (or a peek) sees it, with the broker annotations the SDK reads. */
export function encodeStoredMessage(message: StoredMessage, lockedUntil?: number): Buffer {
  const annotations: Record<string, Typed | Date> = {
    'x-opt-sequence-number': types.wrap_long(message.sequenceNumber),
    'x-opt-enqueued-time': new Date(message.enqueuedAt),
  };
  if (lockedUntil !== undefined) annotations['x-opt-locked-until'] = new Date(lockedUntil);
  // 1 = deferred; the SDK turns it into `state: "deferred"`.
  if (message.deferred) annotations['x-opt-message-state'] = types.wrap_int(1);
  return encodeDelivery(message.content, message.deliveryCount, annotations);
}
