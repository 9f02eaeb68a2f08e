/** Waiting for what happens asynchronously in the stack (events, subscribers, presence). */
import { expect } from 'vitest';
import { call, type Stack } from './stack.js';

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

export interface AuditItem {
  id: string;
  type: string;
  data: Record<string, unknown>;
  timestamp: string;
}

/**
 * The account's audit trail (GET /api/users/{id}/events), all pages. `whileArriving`: a deleted
 * account whose events are not written yet answers 404 (no history, no account), which means
 * "nothing yet" to a caller that is waiting for them.
 */
export async function auditTrail(stack: Stack, userId: string, token: string, options: { whileArriving?: boolean } = {}): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: AuditItem[]; cursor: string | null } } = await call(
      `${stack.api}/users/${userId}/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    if (options.whileArriving && res.status === 404 && items.length === 0) return [];
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.cursor;
  } while (cursor);
  return items;
}

/** Waits until the trail holds at least `count` events of each given type. */
export async function waitForEvents(stack: Stack, userId: string, token: string, types: Record<string, number>, timeoutMs = 15_000): Promise<AuditItem[]> {
  return eventually(
    () => auditTrail(stack, userId, token, { whileArriving: true }),
    (items) => Object.entries(types).every(([type, n]) => items.filter((i) => i.type === type).length >= n),
    timeoutMs,
  );
}

export async function runFunction(stack: Stack, name: string): Promise<void> {
  const res = await fetch(`${stack.url}/admin/functions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":""}' });
  expect(res.status, await res.text()).toBe(202);
}
