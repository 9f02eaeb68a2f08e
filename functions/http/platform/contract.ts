/** What the platform routes (health probes, metrics) answer, for the OpenAPI document and the e2e tests. */
import { z } from 'zod';
import type { MetricsView } from '../../core/metrics/metrics.js';

const isoDateTime = z.iso.datetime({ offset: true });

export const liveness = z
  .object({ service: z.string(), status: z.literal('ok'), version: z.string(), timestamp: isoDateTime })
  .meta({ id: 'Liveness' });

export const checkResult = z
  .object({
    status: z.enum(['ok', 'failed']),
    latencyMs: z.number().int(),
    error: z.string().optional().meta({ description: 'On failure only, and never the reason (that goes to the log).' }),
  })
  .meta({ id: 'CheckResult' });

export const readiness = z
  .object({
    service: z.string(),
    status: z.enum(['ready', 'unavailable']),
    version: z.string(),
    timestamp: isoDateTime,
    failed: z.array(z.string()),
    checks: z.record(z.string(), checkResult),
  })
  .meta({ id: 'Readiness' });

const count = z.number().int().nonnegative();

export const metricsView = z
  .object({
    logins: z.object({ ok: count, failed: count, locked: count }),
    tokensRefreshed: count,
    activities: z.object({
      buffered: count,
      synced: count,
      backlog: count.meta({ description: 'Activities in the Redis buffer, not yet in Cosmos.' }),
      syncLagSeconds: count.meta({ description: 'How long the oldest buffered activity has waited; 0 when none waits.' }),
    }),
    eventsInOutbox: count.meta({ description: 'Events recorded and not yet on Service Bus (the relay publishes them).' }),
    presenceOnline: count,
    timestamp: isoDateTime,
  })
  .meta({ id: 'Metrics' });
metricsView satisfies z.ZodType<MetricsView>;

export const healthReport = z
  .object({
    service: z.string(),
    status: z.enum(['ok', 'unavailable']),
    timestamp: isoDateTime,
    version: z.string(),
    checks: z.record(z.string(), checkResult),
  })
  .meta({ id: 'HealthReport' });
