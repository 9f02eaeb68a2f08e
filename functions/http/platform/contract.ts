/** What the platform routes answer: the health report. */
import { z } from 'zod';
import { isoDateTime } from '../../platform/openapi/schemas.js';

const checkResult = z.union([
  z.strictObject({ status: z.literal('ok'), latencyMs: z.number().int() }),
  z.strictObject({ status: z.literal('failed'), error: z.string() }),
]);

export const healthReport = z
  .strictObject({
    service: z.string(),
    status: z.enum(['ok', 'unavailable']),
    timestamp: isoDateTime,
    version: z.string(),
    checks: z.record(z.string(), checkResult),
  })
  .meta({ id: 'HealthReport' });
export type HealthReport = z.infer<typeof healthReport>;
