import { HttpRequest } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateItems } from '../../functions/core/activity/activity.js';
import { gameplayAiInput } from '../../functions/core/ai/schemas.js';
import { MAX_JSON_DEPTH, nestsDeeperThan, tooDeepFields } from '../../functions/core/kernel/json-depth.js';
import { readJson } from '../../functions/platform/http.js';
import { domainError } from '../support/expect-errors.js';

/** `levels` nested objects ({"a": {"a": ...}}), built without recursion. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}
/** The same as JSON text, the way a client would send it. */
const nestedText = (levels: number) => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);

function post(body: string) {
  return new HttpRequest({ method: 'POST', url: 'http://localhost/api/x', body: { string: body }, headers: { 'content-type': 'application/json' } });
}

describe('JSON depth', () => {
  it('counts levels of objects and arrays, without recursion', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    // Far past what a recursive walk (or JSON.stringify) survives.
    expect(nestsDeeperThan(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), MAX_JSON_DEPTH)).toBe(true);
  });

  it('names the field of a body or of a batch item that nests too deep', () => {
    expect(tooDeepFields({ details: nested(MAX_JSON_DEPTH) })).toEqual([]);
    expect(tooDeepFields({ details: nested(MAX_JSON_DEPTH + 1) }).map((e) => e.field)).toEqual(['details']);
    expect(tooDeepFields([{ a: 1 }, {}, {}, { details: nested(10_000) }]).map((e) => e.field)).toEqual(['[3].details']);
    expect(tooDeepFields(JSON.parse('['.repeat(10_000) + ']'.repeat(10_000))).map((e) => e.field)).toEqual(['[0]']);
  });
});

describe('readJson refuses deep bodies before the schema sees them', () => {
  const detailsSize = z.strictObject({ details: z.record(z.string(), z.unknown()).refine((d) => JSON.stringify(d).length < 100_000) });

  it('answers VALIDATION_FAILED naming the field, for 33 levels and for 10,000', async () => {
    for (const levels of [MAX_JSON_DEPTH + 1, 10_000]) {
      const error = await domainError(readJson(post(`{"details":${nestedText(levels)}}`), detailsSize));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.errors).toEqual([{ field: 'details', message: expect.stringMatching(/32 levels/) }]);
    }
    await expect(readJson(post(`{"details":${nestedText(MAX_JSON_DEPTH)}}`), detailsSize)).resolves.toBeDefined();
  });

  it('answers VALIDATION_FAILED for a batch item and for a body deep as a whole', async () => {
    const batch = `[{"details":{}},{"details":{}},{"details":{}},{"details":${nestedText(10_000)}}]`;
    expect((await domainError(readJson(post(batch), z.unknown()))).errors).toEqual([{ field: '[3].details', message: expect.any(String) }]);
    const deepArray = '['.repeat(10_000) + ']'.repeat(10_000);
    const error = await domainError(readJson(post(deepArray), z.unknown()));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors?.[0]?.field).toBe('[0]');
  });
});

describe('free-form fields check depth before their size checks', () => {
  it('activity details: rejected by name, one item at a time', () => {
    const user = randomUUID();
    const result = validateItems(
      [{ userId: user, activity: 'ok' }, { userId: user, activity: 'deep', details: nested(10_000) }],
      Date.now(),
      () => randomUUID(),
    );
    expect(result.accepted).toHaveLength(1);
    expect(result.rejected).toEqual([{ index: 1, errors: [{ field: 'details', message: expect.stringMatching(/32 levels/) }] }]);
  });

  it('gameplay AI context', () => {
    const result = gameplayAiInput.safeParse({ task: 'hint', prompt: 'p', context: nested(10_000) });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['context']]);
    expect(gameplayAiInput.safeParse({ task: 'hint', prompt: 'p', context: nested(MAX_JSON_DEPTH) }).success).toBe(true);
  });
});
