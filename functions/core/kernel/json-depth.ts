/**
 * How deep a client's JSON may nest. Serialisers (JSON.stringify, the SDKs, Lua arguments) recurse
 * and overflow the stack on deep values, so depth is checked first, without recursion.
 */
import { z } from 'zod';
import type { FieldError } from './errors.js';

/** Levels of objects and arrays one field's value may nest: `{}` is 1, `{"a": []}` is 2. */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests deeper than `limit` levels; walks with its own stack and stops at the limit. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  // Most fields are not objects: nothing to walk, nothing to allocate.
  if (typeof value !== 'object' || value === null) return false;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}

export const TOO_DEEP_MESSAGE = `must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep`;

/**
 * The fields of a request body that nest too deep. A body is an object, or a batch (an array) of
 * objects; each field's value may nest MAX_JSON_DEPTH levels. Fields are named like schema errors:
 * `details`, `[3].details`; an array inside the batch that is no object is named by its index.
 */
export function tooDeepFields(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  // Names are built only for the fields that fail: a batch of 1,000 items has thousands of fields.
  const fieldsOf = (item: unknown, index: number | null) => {
    const prefix = index === null ? '' : `[${index}]`;
    if (Array.isArray(item)) {
      if (nestsDeeperThan(item, MAX_JSON_DEPTH)) errors.push({ field: prefix, message: TOO_DEEP_MESSAGE });
    } else if (typeof item === 'object' && item !== null) {
      for (const key in item) {
        if (!Object.hasOwn(item, key)) continue;
        if (nestsDeeperThan((item as Record<string, unknown>)[key], MAX_JSON_DEPTH)) {
          errors.push({ field: prefix ? `${prefix}.${key}` : key, message: TOO_DEEP_MESSAGE });
        }
      }
    }
  };
  if (Array.isArray(body)) body.forEach((item, index) => fieldsOf(item, index));
  else fieldsOf(body, null);
  return errors;
}

/**
 * A free-form JSON field: refused past MAX_JSON_DEPTH before `schema` (and any size check that
 * serialises it) sees the value.
 */
export function boundedJson<S extends z.ZodType>(schema: S) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (nestsDeeperThan(value, MAX_JSON_DEPTH)) ctx.addIssue({ code: 'custom', message: TOO_DEEP_MESSAGE });
    })
    .pipe(schema);
}
