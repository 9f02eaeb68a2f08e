import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activityItemInput, MAX_BATCH, validateItems } from '../../functions/core/activity/activity.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import { EVENT_DATA_SCHEMAS, readEventMessage, PoisonMessageError } from '../../functions/core/events/events.js';
import { renderedSchemas, SCHEMA_DIR } from '../../infra/scripts/event-schemas.js';

const NOW = Date.parse('2026-06-28T12:00:00Z');
let ids = 0;
const newId = () => `gen-${++ids}`;
const user = randomUUID();

describe('activity items', () => {
  it('accepts a single item, fills id and timestamp, normalises the time to UTC', () => {
    const result = validateItems({ userId: user, activity: 'kill', timestamp: '2026-06-28T13:00:00+02:00' }, NOW, newId);
    expect(result.single).toBe(true);
    expect(result.rejected).toEqual([]);
    expect(result.accepted[0]).toMatchObject({ userId: user, activity: 'kill', details: null, timestamp: '2026-06-28T11:00:00.000Z', id: expect.stringMatching(/^gen-/) });
    const noTime = validateItems({ userId: user, activity: 'kill', id: 'mine-1' }, NOW, newId);
    expect(noTime.accepted[0]).toMatchObject({ id: 'mine-1', timestamp: '2026-06-28T12:00:00.000Z' });
  });

  it('accepts exactly what the documented item schema accepts, details as sent', () => {
    const deep = (levels: number): unknown => (levels === 0 ? {} : { a: deep(levels - 1) });
    const items: unknown[] = [
      { userId: user, activity: 'kill', details: { weapon: 'bow', nested: { list: [1, 'two', null] } } },
      { userId: user, activity: 'kill', details: {} },
      { userId: user, activity: 'kill', details: [] },
      { userId: user, activity: 'kill', details: null },
      { userId: user, activity: 'kill', details: 'text' },
      { userId: user, activity: 'kill', details: { pad: 'x'.repeat(4090) } },
      { userId: user, activity: 'kill', details: { pad: 'é'.repeat(2100) } },
      { userId: user, activity: 'kill', details: deep(31) },
      { userId: user, activity: 'kill', details: deep(32) },
      { userId: user, activity: 'kill', details: JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as unknown },
      { userId: user, activity: 'kill', details: Object.create(null) as unknown },
      { userId: user, activity: 'kill', details: { a: 1 }, extra: 1 },
      { userId: user, activity: 'kill', id: '' },
      { userId: user.toUpperCase(), activity: 'a'.repeat(64), id: 'x'.repeat(128), timestamp: '2026-06-28T11:00:00Z' },
      { userId: user, activity: 'a'.repeat(65) },
      { userId: user, activity: 'kill', timestamp: '2026-06-28 11:00' },
      null,
      [],
      'kill',
    ];
    const result = validateItems(items, NOW, newId);
    items.forEach((item, index) => {
      const schema = activityItemInput.safeParse(item);
      expect(result.rejected.some((r) => r.index === index), `item ${index}`).toBe(!schema.success);
    });
    expect(result.accepted.map((a) => a.details)).toEqual(
      items.flatMap((item) => {
        const schema = activityItemInput.safeParse(item);
        return schema.success ? [schema.data.details ?? null] : [];
      }),
    );
  });

  it('rejects bad items by index with named fields, and keeps the good ones', () => {
    const result = validateItems(
      [
        { userId: user, activity: 'ok' },
        { userId: 'not-a-uuid', activity: 'x' },
        { userId: user, activity: 'x', extra: true },
        { userId: user, activity: 'x', details: { blob: 'y'.repeat(5000) } },
        { userId: user, activity: 'x', timestamp: '2026-06-28T12:30:00Z' },
        { userId: user, activity: 'has space' },
        { userId: user },
        'not an object',
      ],
      NOW,
      newId,
    );
    expect(result.accepted).toHaveLength(1);
    expect(result.rejected.map((r) => [r.index, r.errors.map((e) => e.field)])).toEqual([
      [1, ['userId']],
      [2, ['extra']],
      [3, ['details']],
      [4, ['timestamp']],
      [5, ['activity']],
      [6, ['activity']],
      [7, ['item']],
    ]);
    expect(result.rejected[3]?.errors[0]?.message).toBe('must not be more than 5 minutes in the future');
    expect(result.rejected[5]?.errors[0]?.message).toBe('is required');
    // The same wording as any body: the schema library's own phrasing never reaches the client.
    expect(result.rejected[6]?.errors).toEqual([{ field: 'item', message: 'must be a JSON object' }]);
    expect(result.rejected[1]?.errors).toEqual([{ field: 'extra', message: 'is not a known field' }]);
  });

  it('refuses an empty batch and one over the limit', () => {
    for (const body of [[], Array.from({ length: MAX_BATCH + 1 }, () => ({ userId: user, activity: 'x' }))]) {
      const error = (() => {
        try {
          validateItems(body, NOW, newId);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).errors?.[0]?.field).toBe('body');
    }
  });
});

describe('event messages', () => {
  const login = { userId: user, timestamp: '2026-06-28T12:00:00Z' };

  it('read the type from the application property or the subject, and the id from the message id', () => {
    expect(readEventMessage({ body: login, messageId: 'e1', subject: 'userLogin', eventType: undefined })).toEqual({ id: 'e1', type: 'userLogin', data: login });
    expect(readEventMessage({ body: login, messageId: 'e2', subject: undefined, eventType: 'userLogout' }).type).toBe('userLogout');
  });

  it('are poison when the type is unknown, the id missing or the data malformed', () => {
    const cases = [
      { body: login, messageId: 'e', subject: 'userExploded', eventType: undefined },
      { body: login, messageId: undefined, subject: 'userLogin', eventType: undefined },
      { body: { userId: user }, messageId: 'e', subject: 'userLogin', eventType: undefined },
      { body: { ...login, extra: 1 }, messageId: 'e', subject: 'userLogin', eventType: undefined },
      { body: 'not json', messageId: 'e', subject: 'userLogin', eventType: undefined },
    ];
    for (const message of cases) expect(() => readEventMessage(message)).toThrow(PoisonMessageError);
  });

  it('are poison, not a stack overflow later, when the data nests too deep', () => {
    let details: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) details = { a: details };
    const body = { userId: user, activity: 'kill', details, timestamp: '2026-06-28T12:00:00Z' };
    expect(() => readEventMessage({ body, messageId: 'e', subject: 'userActivity', eventType: undefined })).toThrow(/nests deeper than 32 levels/);
  });
});

describe('published event schemas', () => {
  it('are committed and match the zod schemas the code validates with (npm run events:schemas)', () => {
    for (const [file, text] of Object.entries(renderedSchemas())) {
      expect(readFileSync(join(SCHEMA_DIR, file), 'utf8'), file).toBe(text);
    }
    expect(Object.keys(renderedSchemas()).sort()).toEqual(Object.keys(EVENT_DATA_SCHEMAS).map((t) => `${t}.schema.json`).sort());
  });
});
