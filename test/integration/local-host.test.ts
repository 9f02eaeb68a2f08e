/**
 * The local functions host against a fixture app: it must serve exactly what the app registers
 * through @azure/functions (via the @azure/functions-core seam the real worker uses), route
 * parameters and methods as the host does, run timers on schedule and on demand.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../infra/local/host.js';
import type { ServiceBusStandIn } from '../../infra/servicebus/index.js';
import { startFixtureBroker } from '../support/service-bus-fixture.js';

const fixture = fileURLToPath(new URL('../fixtures/host-app', import.meta.url));
const lines: string[] = [];
let host: LocalHost;
let broker: ServiceBusStandIn;

beforeAll(async () => {
  process.env['TICK_SCHEDULE'] = '*/1 * * * * *';
  // The fixture's Service Bus functions need their connection; local-host-servicebus.test.ts tests them.
  broker = await startFixtureBroker();
  host = await startLocalHost({
    scriptRoot: fixture,
    host: '127.0.0.1',
    port: 0,
    log: (line) => lines.push(line),
    cors: { allowedOrigins: ['https://game.example.com'], supportCredentials: false },
  });
});
afterAll(async () => {
  await host?.stop();
  await broker?.close();
});

describe('local functions host', () => {
  it('registers exactly the functions the app declared, with their trigger metadata', async () => {
    const list = (await (await fetch(`${host.url}/admin/functions`)).json()) as { name: string; trigger: Record<string, unknown> }[];
    expect(list.map((f) => f.name).sort()).toEqual(['broken', 'files', 'item', 'ticks', 'tick', 'sbAudit', 'sbFlaky', 'sbSlow', 'sbBatch', 'sbReceived'].sort());
    const item = list.find((f) => f.name === 'item')?.trigger;
    expect(item).toMatchObject({ type: 'httpTrigger', route: 'items/{id:int}', methods: ['GET', 'POST'], authLevel: 'anonymous' });
    expect(list.find((f) => f.name === 'files')?.trigger).toMatchObject({ authLevel: 'function' });
    // %TICK_SCHEDULE% resolved from the app settings, as the host does.
    expect(list.find((f) => f.name === 'tick')?.trigger).toMatchObject({ type: 'timerTrigger', schedule: '*/1 * * * * *' });
    expect(list.find((f) => f.name === 'sbAudit')?.trigger).toMatchObject({ type: 'serviceBusTrigger', topicName: 'fixture-events', subscriptionName: 'audit', connection: 'FixtureServiceBus' });
    expect(list.find((f) => f.name === 'sbBatch')?.trigger).toMatchObject({ type: 'serviceBusTrigger', queueName: 'fixture-batch', cardinality: 'many' });
  });

  it('routes with parameters, query, JSON body and the app hooks in place', async () => {
    const res = await fetch(`${host.url}/api/items/42?x=1`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-forwarded-for': '6.6.6.6' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-invocation')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: '42', method: 'POST', query: { x: '1' }, body: { a: 1 }, started: true });
    // The peer is appended, like App Service's front end does.
    expect(body['forwardedFor']).toMatch(/^6\.6\.6\.6, (::ffff:)?127\.0\.0\.1$/);
    expect((await fetch(`${host.url}/api/files/a/b/c.txt`).then((r) => r.text()))).toBe('path=a/b/c.txt');
  });

  it('answers 404 for no route or a failed constraint, 405 for a method the function does not take', async () => {
    expect((await fetch(`${host.url}/api/items/abc`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${host.url}/items/1`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/items/1`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers 404 and 405 with the app\'s problem documents, and 405 with the route\'s methods in Allow', async () => {
    const missing = await fetch(`${host.url}/api/nothing`);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toEqual({
      type: 'urn:player-accounts:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'No function serves /api/nothing.',
      code: 'NOT_FOUND',
    });
    const wrongMethod = await fetch(`${host.url}/api/items/1`, { method: 'DELETE' });
    expect(wrongMethod.headers.get('content-type')).toBe('application/problem+json');
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
    expect(await wrongMethod.json()).toMatchObject({ type: 'urn:player-accounts:problem:method-not-allowed', status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers CORS preflights like App Service: the allowed origin echoed, no CORS headers for others', async () => {
    const preflight = (origin: string) =>
      fetch(`${host.url}/api/items/1`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
    const allowed = await preflight('https://game.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://game.example.com');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('vary')).toBe('Origin');
    const refused = await preflight('https://evil.example.com');
    expect([...refused.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    // The function never saw either: preflights are the platform's.
    expect(lines.filter((l) => l.startsWith('OPTIONS /api/items/1 204'))).toHaveLength(2);
  });

  it('adds the CORS headers to real responses for an allowed origin only', async () => {
    const allowed = await fetch(`${host.url}/api/items/7`, { headers: { origin: 'https://game.example.com' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://game.example.com');
    expect(allowed.headers.get('vary')).toBe('Origin');
    const problem = await fetch(`${host.url}/api/nothing`, { headers: { origin: 'https://game.example.com' } });
    expect(problem.headers.get('access-control-allow-origin')).toBe('https://game.example.com');
    const refused = await fetch(`${host.url}/api/items/7`, { headers: { origin: 'https://evil.example.com' } });
    expect(refused.status).toBe(200);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a function that throws with a bare 500 and logs the error', async () => {
    const res = await fetch(`${host.url}/api/broken`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(lines.some((l) => l.includes('broken') && l.includes('boom'))).toBe(true);
  });

  it('runs a timer at once through POST /admin/functions/{name}, and on its schedule', async () => {
    const before = ((await (await fetch(`${host.url}/api/ticks`)).json()) as { ticks: number }).ticks;
    const run = await fetch(`${host.url}/admin/functions/tick`, { method: 'POST', body: '{"input":""}', headers: { 'content-type': 'application/json' } });
    expect(run.status).toBe(202);
    const after = ((await (await fetch(`${host.url}/api/ticks`)).json()) as { ticks: number }).ticks;
    expect(after).toBeGreaterThanOrEqual(before + 1);
    await new Promise((r) => setTimeout(r, 2_200));
    const later = ((await (await fetch(`${host.url}/api/ticks`)).json()) as { ticks: number }).ticks;
    expect(later).toBeGreaterThanOrEqual(after + 1);
    expect(lines.some((l) => l.startsWith('[tick] tick'))).toBe(true);
    expect((await fetch(`${host.url}/admin/functions/item`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('logs method, path, status and milliseconds for every request', () => {
    expect(lines).toContainEqual(expect.stringMatching(/^POST \/api\/items\/42 201 \d+ms$/));
    expect(lines).toContainEqual(expect.stringMatching(/^DELETE \/api\/items\/1 405 \d+ms$/));
  });
});
