/**
 * A CI-sized soak: the product's mixed load (bench/soak.ts) for 15 s against the local stack.
 * Every answer is the one the route promises; no 5xx. The 10-minute run and its memory figures
 * are in bench/README.md.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { soak, soakStack } from '../../bench/soak.js';
import type { Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await soakStack('soak-ci');
});
afterAll(async () => {
  await stack?.stop();
});

it('runs the mixed load with no error and no 5xx', async () => {
  const report = await soak(stack, 15, 3);
  expect(report.unexpected).toEqual([]);
  const routes = Object.entries(report.routes);
  expect(routes.map(([route]) => route)).toEqual(expect.arrayContaining(['POST /signup', 'POST /login', 'POST /token/refresh', 'POST /track-activity', 'GET /active-users', 'sync (timer)']));
  for (const [, r] of routes) expect({ errors: r.errors, fivexx: r.fivexx }).toEqual({ errors: 0, fivexx: 0 });
  expect(report.memoryMiB.every((m) => m > 0)).toBe(true);
}, 90_000);
