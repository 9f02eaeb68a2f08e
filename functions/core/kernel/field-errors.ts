/** A schema's complaints as field errors a client can act on: `items[3].details is required`. */
import type { z } from 'zod';
import type { FieldError } from './errors.js';

function fieldName(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root;
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** A schema's complaints as named field errors; `root` names the value itself (the body, one item of a batch). */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], root = 'body'): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ field: fieldName([...issue.path, key], root), message: 'is not a known field' });
    } else if (issue.code === 'invalid_type') {
      const missing = issue.message.endsWith('received undefined');
      const expected = issue.path.length === 0 && issue.expected === 'object' ? 'a JSON object' : `of type ${issue.expected}`;
      errors.push({ field: fieldName(issue.path, root), message: missing ? 'is required' : `must be ${expected}` });
    } else {
      errors.push({ field: fieldName(issue.path, root), message: issue.message });
    }
  }
  return errors;
}
