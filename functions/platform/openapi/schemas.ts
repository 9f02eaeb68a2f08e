/** Response schema pieces every feature's contract.ts shares: timestamps, pages, the problem document. */
import { z } from 'zod';
import type { ErrorCode, FieldError } from '../../core/kernel/errors.js';
import type { ProblemDocument } from '../problem.js';

export const isoDateTime = z.iso.datetime({ offset: true });

/** `{items, cursor}` as every list answers; `id` names the component (UserPage, SessionPage, ...). */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .strictObject({
      items: z.array(item),
      cursor: z.string().nullable().meta({ description: 'Pass back as ?cursor= for the next page; null on the last one.' }),
    })
    .meta({ id });
}

export const fieldError = z
  .strictObject({ field: z.string(), message: z.string() })
  .meta({ id: 'FieldError', description: 'One invalid field: `body.email`, `items[3].details`, `limit`.' });
fieldError satisfies z.ZodType<FieldError>;

// Every code the app answers with; a type check keeps the list complete.
const ERROR_CODES = {
  VALIDATION_FAILED: true, MALFORMED_JSON: true, UNSUPPORTED_MEDIA_TYPE: true, PAYLOAD_TOO_LARGE: true, USER_EXISTS: true,
  INVALID_CREDENTIALS: true, UNAUTHENTICATED: true, FORBIDDEN: true, NOT_FOUND: true, METHOD_NOT_ALLOWED: true, CONFLICT: true,
  PRECONDITION_FAILED: true, RATE_LIMITED: true, SERVICE_BUSY: true, SERVICE_UNAVAILABLE: true, NOT_CONFIGURED: true,
  UPSTREAM_FAILED: true, UPSTREAM_TIMEOUT: true, INTERNAL: true,
} satisfies Record<ErrorCode | 'INTERNAL', true>;

/** RFC 9457 problem details, as platform/problem.ts writes them. */
export const problemSchema = z
  .strictObject({
    type: z.string().meta({ description: 'A stable URN per code (README: "Problems").' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES]),
    instance: z.string().optional(),
    errors: z.array(fieldError).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });
problemSchema satisfies z.ZodType<ProblemDocument>;
