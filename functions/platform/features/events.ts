/** User events: the Service Bus topic, the outbox and its relay, the audit trail. */
import { z } from 'zod';
import { CosmosAuditLog } from '../../adapters/cosmos/audit.js';
import { CosmosEventOutbox } from '../../adapters/cosmos/outbox.js';
import { ServiceBusEventPublisher } from '../../adapters/servicebus/publisher.js';
import type { AuditLog } from '../../core/events/audit.js';
import { OutboxEventSink } from '../../core/events/outbox.js';
import type { HealthCheck } from '../../core/kernel/health.js';
import { featureSettings, int, schedule } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const EVENT_SCHEDULE_DEFAULTS = { EVENT_RELAY_SCHEDULE: '*/15 * * * * *' } as const;

export const eventSettings = featureSettings({
  shape: {
    /** The Service Bus topic of user events; triggers bind to it as %USER_EVENTS_TOPIC%. */
    USER_EVENTS_TOPIC: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$/, 'must be a Service Bus topic name')
      .default('user-events')
      .describe('azure-required'),
    /** Service Bus: a connection string locally; the namespace (identity) in Azure. Same names as the trigger's connection. */
    ServiceBusConnection: z.string().min(1).optional().describe('local-only'),
    ServiceBusConnection__fullyQualifiedNamespace: z.string().min(1).optional().describe('azure-required'),
    /** How long a request waits for Service Bus before leaving its events to the relay. */
    EVENT_PUBLISH_TIMEOUT_MS: int(100, 30_000).default(2_000),
    EVENT_RELAY_SCHEDULE: schedule(EVENT_SCHEDULE_DEFAULTS.EVENT_RELAY_SCHEDULE),
  },
  read: (s) => ({
    serviceBus: {
      connectionString: s.ServiceBusConnection,
      fullyQualifiedNamespace: s.ServiceBusConnection__fullyQualifiedNamespace,
      topic: s.USER_EVENTS_TOPIC,
    },
    events: { publishTimeoutMs: s.EVENT_PUBLISH_TIMEOUT_MS },
  }),
  problems(env) {
    if (env['ServiceBusConnection'] === undefined && env['ServiceBusConnection__fullyQualifiedNamespace'] === undefined) {
      return ['ServiceBusConnection__fullyQualifiedNamespace is missing (or set ServiceBusConnection to a connection string)'];
    }
    return [];
  },
  secret: ['ServiceBusConnection'],
});

export type EventsConfig = ReturnType<typeof eventSettings.read>;

export interface EventServices {
  /** What use cases emit into: the outbox first, then Service Bus. */
  events: OutboxEventSink;
  publisher: ServiceBusEventPublisher;
  audit: AuditLog;
  healthCheck: HealthCheck;
  /** Events recorded and not yet published, for the metrics. */
  outboxSize: () => Promise<number>;
}

/** The subscription the health check peeks at: the audit one exists wherever the app runs (it consumes it). */
const PROBE_SUBSCRIPTION = 'audit';
const HEALTH_TIMEOUT_MS = 2_000;

export function wireEvents(config: EventsConfig, infra: Infrastructure): EventServices {
  const publisher = new ServiceBusEventPublisher(config.serviceBus, infra.azureClientId);
  const outbox = new CosmosEventOutbox(infra.cosmos, infra.clock.now);
  const events = new OutboxEventSink(outbox, publisher, {
    publishTimeoutMs: config.events.publishTimeoutMs,
    onPublishFailure: (error, failed) =>
      console.warn(`events: ${failed.length} kept in the outbox for the relay (${error instanceof Error ? error.message : String(error)})`),
  });
  const healthCheck: HealthCheck = { name: 'serviceBus', check: () => publisher.ping(PROBE_SUBSCRIPTION, { timeoutMs: HEALTH_TIMEOUT_MS }) };
  return { events, publisher, audit: new CosmosAuditLog(infra.cosmos), healthCheck, outboxSize: () => outbox.size() };
}
