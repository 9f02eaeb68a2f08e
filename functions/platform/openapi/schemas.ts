/** Response schema pieces every feature's contract.ts shares: timestamps, pages, the problem document. */
import { z } from 'zod';
import type { ErrorCode, FieldError } from '../../core/kernel/errors.js';
import { PROBLEM_KINDS, type ProblemDocument } from '../problem.js';

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

// Every code the app answers with: the problem kinds (one per ErrorCode, a type check keeps it complete) and INTERNAL.
const ERROR_CODES = [...(Object.keys(PROBLEM_KINDS) as ErrorCode[]), 'INTERNAL'] as unknown as [ErrorCode | 'INTERNAL', ...(ErrorCode | 'INTERNAL')[]];

/** RFC 9457 problem details, as platform/problem.ts writes them. */
export const problemSchema = z
  .strictObject({
    type: z.string().meta({ description: 'A stable URN per code (README: "Problems").' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(ERROR_CODES),
    instance: z.string().optional(),
    errors: z.array(fieldError).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });
problemSchema satisfies z.ZodType<ProblemDocument>;
