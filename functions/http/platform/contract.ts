/** What the platform routes (health probes, metrics) answer, for the OpenAPI document and the e2e tests. */
import { z } from 'zod';

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
