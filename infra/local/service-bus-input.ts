/**
 * What the Functions host sends the Node.js worker for one Service Bus message, so a handler gets
 * the same values locally as in Azure. Derived from the sources, not from a packet capture:
 * - the trigger binds to `string` unless `dataType` says otherwise (WebJobs JobHostMetadataProvider
 *   .GetDefaultType) and MessageToStringConverter decodes the body as UTF-8; the worker's
 *   fromRpcTypedData then JSON-parses strings that parse, so a JSON body arrives as an object;
 * - triggerMetadata is the extension's binding data (ServiceBusTriggerBindingStrategy.AddBindingData)
 *   passed through the host's ToRpc(): strings stay strings, numbers, dates and objects become
 *   Json.NET JSON, nulls are left out; the library then camel-cases every key;
 * - the host adds every top-level property of a JSON-object body to the binding data
 *   (Utility.ApplyBindingData), overwriting same-named keys, as Json.NET strings.
 */
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import type { InvocationRequest, RpcTypedData } from './core-api.js';

export interface ClientFacts {
  fullyQualifiedNamespace: string;
  identifier: string;
}

/** Thrown when a message body cannot be bound the way the host would bind it; the message is abandoned. */
export class BindingError extends Error {}

const DATE_MAX = '9999-12-31T23:59:59.9999999';
const DATE_MIN = '0001-01-01T00:00:00';
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

type DateKind = 'utc' | 'unspecified' | 'offset';

/** A date as Json.NET writes a .NET DateTime (utc: `Z`, unspecified: no zone) or a DateTimeOffset (`+00:00`). */
export function netDate(date: Date, kind: DateKind): string {
  let text = DATE_MAX;
  if (date.getUTCFullYear() <= 9999) {
    const iso = date.toISOString();
    // Json.NET writes seconds fractions with trailing zeros trimmed (format "FFFFFFF").
    const fraction = iso.slice(20, 23).replace(/0+$/, '');
    text = fraction ? `${iso.slice(0, 19)}.${fraction}` : iso.slice(0, 19);
  }
  return kind === 'utc' ? `${text}Z` : kind === 'offset' ? `${text}+00:00` : text;
}

/** Application property values as Json.NET serialises what the .NET SDK decodes. */
function netJsonValue(value: unknown): unknown {
  if (value instanceof Date) return netDate(value, 'utc');
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(netJsonValue);
  if (value !== null && typeof value === 'object') {
    const long = value as { toNumber?: () => number };
    if (typeof long.toNumber === 'function') return long.toNumber();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, netJsonValue(v)]));
  }
  return value;
}

const str = (value: string): RpcTypedData => ({ string: value });
const json = (value: unknown): RpcTypedData => ({ json: JSON.stringify(value) });

/** The host's binding data: keys compare case-insensitively and a later set keeps the first spelling. */
class BindingData {
  private readonly entries = new Map<string, [string, RpcTypedData]>();

  set(key: string, value: RpcTypedData | undefined): void {
    if (value === undefined) return;
    const existing = this.entries.get(key.toLowerCase());
    this.entries.set(key.toLowerCase(), [existing?.[0] ?? key, value]);
  }

  text(key: string, value: unknown): void {
    if (value !== undefined && value !== null) this.set(key, str(Buffer.isBuffer(value) ? value.toString('hex') : String(value)));
  }

  toRecord(): Record<string, RpcTypedData> {
    return Object.fromEntries(this.entries.values());
  }
}

// Json.NET reads these strings as DateTime (DateParseHandling.DateTime), and the host's (string) cast
// prints them back with DateTime.ToString(InvariantCulture): "MM/dd/yyyy HH:mm:ss".
const JSON_NET_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(Z|[+-]\d{2}:?\d{2})?$/;

function netString(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') {
    const match = JSON_NET_DATE.exec(value);
    if (!match) return value;
    // With a zone the DateTime becomes UTC (Z) or server-local (offset; Azure's servers run on UTC).
    const date = match[1] ? new Date(value) : new Date(`${value.slice(0, 19)}Z`);
    if (Number.isNaN(date.getTime())) return value;
    const iso = date.toISOString();
    return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
  }
  return String(value);
}

/** Utility.ApplyBindingData: top-level properties of a JSON-object body join the metadata (arrays and nulls do not). */
function addBodyProperties(data: BindingData, body: RpcTypedData): void {
  const text = body?.string?.trim();
  if (!text?.startsWith('{') || !text.endsWith('}')) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value === null || Array.isArray(value)) continue;
    data.set(key, typeof value === 'object' ? json(value) : str(netString(value as string | number | boolean)));
  }
}

/** The message body as the trigger binds it: a UTF-8 string, or bytes for `dataType: 'binary'`. */
export function messageBody(message: ServiceBusReceivedMessage, dataType: unknown): RpcTypedData {
  const bodyType = message._rawAmqpMessage.bodyType ?? 'data';
  const body: unknown = message.body;
  const binary = dataType === 'binary';
  if (bodyType === 'data') {
    const bytes = Buffer.isBuffer(body) ? body : body instanceof Uint8Array ? Buffer.from(body) : Buffer.alloc(0);
    return binary ? { bytes: new Uint8Array(bytes) } : { string: bytes.toString('utf8') };
  }
  if (bodyType === 'value' && !binary && typeof body === 'string') return { string: body };
  if (bodyType === 'value' && binary && Buffer.isBuffer(body)) return { bytes: new Uint8Array(body) };
  throw new BindingError(`A message with an AMQP ${bodyType} body holding ${typeof body} cannot be bound to ${binary ? 'binary' : 'a string'}`);
}

/** The invocation request the host sends for a received message. */
export function serviceBusRequest(bindingName: string, message: ServiceBusReceivedMessage, dataType: unknown, client: ClientFacts): InvocationRequest {
  const body = messageBody(message, dataType);
  const data = new BindingData();
  // Settlement handles and the client: objects without public properties serialise as {}.
  for (const key of ['MessageReceiver', 'MessageSession', 'MessageActions', 'SessionActions', 'ReceiveActions']) data.set(key, json({}));
  data.set('Client', json({ FullyQualifiedNamespace: client.fullyQualifiedNamespace, IsClosed: false, TransportType: 0, Identifier: client.identifier }));
  // The JS SDK gives AMQP's count of earlier attempts; the .NET SDK (so the host) adds one.
  data.set('DeliveryCount', json((message.deliveryCount ?? 0) + 1));
  data.text('DeadLetterSource', message.deadLetterSource);
  data.text('LockToken', message.lockToken);
  // The extension passes ExpiresAt.DateTime and EnqueuedTime.DateTime: no zone, though they are UTC.
  const expires = message.expiresAtUtc ?? new Date(8.64e15);
  const enqueued = message.enqueuedTimeUtc ?? new Date(Date.UTC(1, 0, 1));
  data.set('ExpiresAtUtc', json(netDate(expires, 'unspecified')));
  data.set('ExpiresAt', json(netDate(expires, 'offset')));
  data.set('EnqueuedTimeUtc', json(netDate(enqueued, 'unspecified')));
  data.set('EnqueuedTime', json(netDate(enqueued, 'offset')));
  data.text('MessageId', message.messageId);
  data.text('ContentType', message.contentType);
  data.text('ReplyTo', message.replyTo);
  data.set('SequenceNumber', json(message.sequenceNumber?.toNumber() ?? -1));
  data.text('To', message.to);
  data.text('Subject', message.subject);
  data.text('Label', message.subject);
  data.text('CorrelationId', message.correlationId);
  const properties = netJsonValue(message.applicationProperties ?? {});
  data.set('ApplicationProperties', json(properties));
  data.set('UserProperties', json(properties));
  data.text('SessionId', message.sessionId);
  data.text('ReplyToSessionId', message.replyToSessionId);
  data.text('PartitionKey', message.partitionKey);
  data.text('TransactionPartitionKey', message._rawAmqpMessage.messageAnnotations?.['x-opt-via-partition-key']);
  addBodyProperties(data, body);
  return { inputData: [{ name: bindingName, data: body }], triggerMetadata: data.toRecord() };
}

/**
 * The host drops null and empty entries of a string array it sends as a collection (ToRpcStringArray,
 * as the Node.js worker does not ask for IncludeEmptyEntriesInMessagePayload): such an array can be
 * shorter than the batch, so only full ones line up with the messages.
 */
const strings = (values: (string | null | undefined)[]): RpcTypedData => ({ collectionString: { string: values.filter((v): v is string => typeof v === 'string' && v !== '') } });
const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : Buffer.isBuffer(value) ? value.toString('hex') : String(value));

/**
 * The invocation request for a batch (`cardinality: 'many'`), as the extension's AddBindingData for
 * an array of messages and the host's ToRpc make it: the bodies as one string collection (bytes for
 * `dataType: 'binary'`), and per property one array ("MessageIdArray"...): strings as string
 * collections, sequence numbers as an int64 collection, everything else as Json.NET JSON. A batch's
 * bodies do not join the metadata.
 */
export function serviceBusBatchRequest(bindingName: string, messages: ServiceBusReceivedMessage[], dataType: unknown, client: ClientFacts): InvocationRequest {
  const bodies = messages.map((m) => messageBody(m, dataType));
  const body: RpcTypedData = dataType === 'binary'
    ? { collectionBytes: { bytes: bodies.map((b) => b?.bytes ?? new Uint8Array()) } }
    : strings(bodies.map((b) => b?.string));
  const data = new BindingData();
  for (const key of ['MessageReceiver', 'MessageSession', 'MessageActions', 'SessionActions', 'ReceiveActions']) data.set(key, json({}));
  data.set('Client', json({ FullyQualifiedNamespace: client.fullyQualifiedNamespace, IsClosed: false, TransportType: 0, Identifier: client.identifier }));
  data.set('DeliveryCountArray', json(messages.map((m) => (m.deliveryCount ?? 0) + 1)));
  data.set('DeadLetterSourceArray', strings(messages.map((m) => m.deadLetterSource)));
  data.set('LockTokenArray', strings(messages.map((m) => m.lockToken)));
  const expires = messages.map((m) => m.expiresAtUtc ?? new Date(8.64e15));
  const enqueued = messages.map((m) => m.enqueuedTimeUtc ?? new Date(Date.UTC(1, 0, 1)));
  data.set('ExpiresAtUtcArray', json(expires.map((d) => netDate(d, 'unspecified'))));
  data.set('ExpiresAtArray', json(expires.map((d) => netDate(d, 'offset'))));
  data.set('EnqueuedTimeUtcArray', json(enqueued.map((d) => netDate(d, 'unspecified'))));
  data.set('EnqueuedTimeArray', json(enqueued.map((d) => netDate(d, 'offset'))));
  data.set('MessageIdArray', strings(messages.map((m) => text(m.messageId))));
  data.set('ContentTypeArray', strings(messages.map((m) => m.contentType)));
  data.set('ReplyToArray', strings(messages.map((m) => m.replyTo)));
  data.set('SequenceNumberArray', { collectionSint64: { sint64: messages.map((m) => m.sequenceNumber?.toNumber() ?? -1) } });
  data.set('ToArray', strings(messages.map((m) => m.to)));
  data.set('SubjectArray', strings(messages.map((m) => m.subject)));
  data.set('LabelArray', strings(messages.map((m) => m.subject)));
  data.set('CorrelationIdArray', strings(messages.map((m) => text(m.correlationId))));
  const properties = messages.map((m) => netJsonValue(m.applicationProperties ?? {}));
  data.set('ApplicationPropertiesArray', json(properties));
  data.set('UserPropertiesArray', json(properties));
  data.set('SessionIdArray', strings(messages.map((m) => m.sessionId)));
  data.set('ReplyToSessionIdArray', strings(messages.map((m) => m.replyToSessionId)));
  const partitionKeys = strings(messages.map((m) => m.partitionKey));
  data.set('PartitionKeyArray', partitionKeys);
  // The extension passes the partition keys here too (its array of transaction partition keys stays unused).
  data.set('TransactionPartitionKeyArray', partitionKeys);
  return { inputData: [{ name: bindingName, data: body }], triggerMetadata: data.toRecord() };
}

/**
 * POST /admin/functions/{name}: the host builds a message from the input string alone
 * (ServiceBusTriggerBindingStrategy.ConvertFromString with ServiceBusModelFactory defaults).
 */
export function manualServiceBusRequest(bindingName: string, input: string, dataType: unknown): InvocationRequest {
  const body: RpcTypedData = dataType === 'binary' ? { bytes: new Uint8Array(Buffer.from(input)) } : { string: input };
  const data = new BindingData();
  data.set('DeliveryCount', json(0));
  data.set('LockToken', str(EMPTY_GUID));
  data.set('ExpiresAtUtc', json(DATE_MAX));
  data.set('ExpiresAt', json(`${DATE_MAX}+00:00`));
  data.set('EnqueuedTimeUtc', json(DATE_MIN));
  data.set('EnqueuedTime', json(`${DATE_MIN}+00:00`));
  data.set('SequenceNumber', json(-1));
  data.set('ApplicationProperties', json({}));
  data.set('UserProperties', json({}));
  addBodyProperties(data, body);
  return { inputData: [{ name: bindingName, data: body }], triggerMetadata: data.toRecord() };
}
