/** Pages of a list: a limit and an opaque cursor in, items and the next cursor out. */
import { z } from 'zod';
import { validationError, type DomainError } from './errors.js';

export interface PageRequest {
  limit: number;
  /** Opaque, from the previous page; absent for the first page. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Hand back to get the next page; null on the last one. */
  cursor: string | null;
}

/** A cursor that did not come from this API (forged, truncated, from another list): 400 naming it. */
export function invalidCursor(): DomainError {
  return validationError([{ field: 'cursor', message: 'is not a cursor of ours' }], 'The cursor is not one this API handed out.');
}

/** The order of a player's history lists (activity, events): newest first, ties by id, as one comparable string. */
export function newestFirstKey(timestamp: string, id: string): string {
  return `${timestamp}|${id}`;
}

/** ?limit=&cursor= as every list reads it. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number('must be a number').int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  // An empty cursor (a client templating a null one) means the first page, on every list alike.
  cursor: z
    .string()
    .max(4096, 'is not a cursor of ours')
    .optional()
    .transform((v) => v || undefined),
});
