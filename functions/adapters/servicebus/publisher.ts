/**
 * Publishing user events to the Service Bus topic, in batches. One client and one sender per
 * process; by managed identity in Azure, by connection string locally.
 */
import type { ServiceBusClient, ServiceBusMessage, ServiceBusMessageBatch, ServiceBusReceiver, ServiceBusSender } from '@azure/service-bus';
import { context, propagation } from '@opentelemetry/api';
import type { EventPublisher } from '../../core/events/outbox.js';
import type { UserEvent } from '../../core/events/events.js';
import { azureCredential } from '../identity.js';

export interface ServiceBusSettings {
  connectionString: string | undefined;
  fullyQualifiedNamespace: string | undefined;
  topic: string;
}

/**
 * The trace the event was published in, as W3C traceparent in `Diagnostic-Id` (the property the
 * Functions host reads for a Service Bus trigger's parent): the subscriber's invocation joins the
 * publisher's trace. Without OpenTelemetry running there is no active trace and nothing is added.
 */
function traceProperties(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'] ? { 'Diagnostic-Id': carrier['traceparent'] } : {};
}

export function toMessage(event: UserEvent): ServiceBusMessage {
  return {
    body: event.data,
    messageId: event.id,
    subject: event.type,
    contentType: 'application/json',
    applicationProperties: { eventType: event.type, ...traceProperties() },
  };
}

/** Message batches sent at once by one publish. */
const SENDS_IN_FLIGHT = 4;

export class ServiceBusEventPublisher implements EventPublisher {
  private connection: Promise<{ client: ServiceBusClient; sender: ServiceBusSender }> | undefined;
  private readonly topic: string;
  private probe: ServiceBusReceiver | undefined;

  constructor(
    private readonly settings: ServiceBusSettings,
    private readonly azureClientId: string | undefined,
  ) {
    if (!settings.connectionString && !settings.fullyQualifiedNamespace) {
      throw new Error('Service Bus needs ServiceBusConnection or ServiceBusConnection__fullyQualifiedNamespace');
    }
    this.topic = settings.topic;
  }

  /** The client and sender, made (and the SDK imported) on the first publish or ping. */
  private connect(): Promise<{ client: ServiceBusClient; sender: ServiceBusSender }> {
    if (this.connection) return this.connection;
    const connecting = (async () => {
      const { RetryMode, ServiceBusClient } = await import('@azure/service-bus');
      // Few, quick retries: a caller waiting on an emit has the outbox to fall back on.
      const options = { retryOptions: { mode: RetryMode.Exponential, maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2_000, timeoutInMs: 10_000 } };
      const { connectionString, fullyQualifiedNamespace } = this.settings;
      const client = connectionString
        ? new ServiceBusClient(connectionString, options)
        : new ServiceBusClient(fullyQualifiedNamespace as string, await azureCredential(this.azureClientId), options);
      return { client, sender: client.createSender(this.topic) };
    })();
    this.connection = connecting;
    // A failed start (the SDK's import, the credential) is tried again by the next call.
    connecting.catch(() => {
      if (this.connection === connecting) this.connection = undefined;
    });
    return connecting;
  }

  async publish(events: UserEvent[], options: { timeoutMs?: number } = {}): Promise<void> {
    if (events.length === 0) return;
    const abortSignal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const { sender } = await this.connect();
    const batches: ServiceBusMessageBatch[] = [];
    let batch: ServiceBusMessageBatch = await sender.createMessageBatch({ abortSignal });
    for (const event of events) {
      const message = toMessage(event);
      if (batch.tryAddMessage(message)) continue;
      if (batch.count === 0) throw new Error(`event ${event.id} is larger than a Service Bus message may be`);
      batches.push(batch);
      batch = await sender.createMessageBatch({ abortSignal });
      if (!batch.tryAddMessage(message)) throw new Error(`event ${event.id} is larger than a Service Bus message may be`);
    }
    if (batch.count > 0) batches.push(batch);
    // A few sends at once: the sync publishes thousands of events per call.
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(SENDS_IN_FLIGHT, batches.length) }, async () => {
        while (next < batches.length) await sender.sendMessages(batches[next++] as ServiceBusMessageBatch, { abortSignal });
      }),
    );
  }

  /**
   * A round trip to the broker that changes nothing: a peek (a $management request) on one
   * subscription. Its receiver is made once and kept, so a check costs one request.
   */
  async ping(subscription: string, options: { timeoutMs: number }): Promise<void> {
    const { client } = await this.connect();
    this.probe ??= client.createReceiver(this.topic, subscription, { receiveMode: 'peekLock' });
    await this.probe.peekMessages(1, { abortSignal: AbortSignal.timeout(options.timeoutMs) });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await this.probe?.close();
    this.probe = undefined;
    const opened = await connection?.catch(() => undefined);
    if (!opened) return;
    await opened.sender.close();
    await opened.client.close();
  }
}
