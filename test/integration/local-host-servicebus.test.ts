/**
 * Service Bus triggers in the local host, end to end through real parts: the fixture app's
 * app.serviceBusTopic/serviceBusQueue functions, the host, the official SDK and the local broker.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceBusClient, type ServiceBusMessage } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../infra/local/host.js';
import type { ServiceBusStandIn } from '../../infra/servicebus/index.js';
import { startFixtureBroker } from '../support/service-bus-fixture.js';

const fixture = fileURLToPath(new URL('../fixtures/host-app', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Received {
  fn: string;
  message: unknown;
  triggerMetadata: Record<string, unknown>;
  phase?: string;
}

const lines: string[] = [];
let broker: ServiceBusStandIn;
let host: LocalHost;
let hostStopped = false;
let client: ServiceBusClient;
let resourcesBefore: Record<string, number>;

/** Open handles by kind (sockets, servers, timers): what must be back to its level once the host stops. */
function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  process.env['TICK_SCHEDULE'] = '0 0 0 1 1 *'; // the fixture's timer, out of the way
  broker = await startFixtureBroker();
  resourcesBefore = countResources();
  host = await startLocalHost({ scriptRoot: fixture, host: '127.0.0.1', port: 0, log: (line) => lines.push(line) });
  client = new ServiceBusClient(broker.connectionString);
});

afterAll(async () => {
  if (!hostStopped) await host?.stop();
  await client?.close();
  await broker?.close();
});

async function received(): Promise<{ received: Received[]; maxActive: number }> {
  return (await (await fetch(`${host.url}/api/sb/received`)).json()) as { received: Received[]; maxActive: number };
}

/** Polls until the condition holds; returns the last value so assertions can say what was there. */
async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

const byId = (id: string) => (r: Received) => r.triggerMetadata['messageId'] === id;

async function send(entity: string, ...messages: ServiceBusMessage[]): Promise<void> {
  const sender = client.createSender(entity);
  await sender.sendMessages(messages);
  await sender.close();
}

describe('Service Bus triggers in the local host', () => {
  it('hands a JSON message to the handler as an object, with the metadata the Functions host sends', async () => {
    await send('fixture-events', {
      messageId: 'evt-1',
      body: { userId: '123', timestamp: '2024-06-28T12:00:00Z', detail: { source: 'login' } },
      subject: 'userLogin',
      correlationId: 'corr-1',
      contentType: 'application/json',
      applicationProperties: { eventType: 'userLogin', attempt: 2, retried: false, at: new Date('2024-06-28T12:00:00.5Z') },
    });
    const got = (await until(received, (r) => r.received.some(byId('evt-1')))).received.find(byId('evt-1'));
    expect(got?.fn).toBe('sbAudit');
    expect(got?.message).toEqual({ userId: '123', timestamp: '2024-06-28T12:00:00Z', detail: { source: 'login' } });
    const meta = got?.triggerMetadata ?? {};
    expect(meta).toMatchObject({
      messageId: 'evt-1',
      deliveryCount: 1,
      subject: 'userLogin',
      label: 'userLogin',
      correlationId: 'corr-1',
      contentType: 'application/json',
      applicationProperties: { eventType: 'userLogin', attempt: 2, retried: false, at: '2024-06-28T12:00:00.5Z' },
      userProperties: { eventType: 'userLogin', attempt: 2, retried: false, at: '2024-06-28T12:00:00.5Z' },
      messageActions: {},
      client: { isClosed: false, transportType: 0 },
    });
    expect(meta['sequenceNumber']).toBeGreaterThanOrEqual(1);
    expect(meta['lockToken']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // EnqueuedTimeUtc is a .NET DateTime without a zone; EnqueuedTime a DateTimeOffset.
    expect(meta['enqueuedTimeUtc']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?$/);
    expect(meta['enqueuedTime']).toBe(`${String(meta['enqueuedTimeUtc'])}+00:00`);
    expect(Math.abs(Date.parse(`${String(meta['enqueuedTimeUtc'])}Z`) - Date.now())).toBeLessThan(10_000);
    expect(meta['expiresAt']).toBe(`${String(meta['expiresAtUtc'])}+00:00`);
    // The host adds the body's top-level properties as strings (Json.NET reads the date as a DateTime).
    expect(meta).toMatchObject({ userId: 123, timestamp: '06/28/2024 12:00:00', detail: { source: 'login' } });
    expect(meta).not.toHaveProperty('replyTo');
    expect(meta).not.toHaveProperty('sessionId');
    expect(meta).not.toHaveProperty('sys');

    await until(() => lines, (l) => l.some((x) => x.startsWith('[sbAudit] message evt-1 ')));
    expect(lines).toContainEqual(expect.stringMatching(/^\[sbAudit\] message evt-1 completed \d+ms$/));
    expect(broker.stats().topics['fixture-events']?.subscriptions['audit']).toEqual({ active: 0, locked: 0, deferred: 0, deadLetter: 0 });
    expect(lines).toContain('[sbAudit] audit evt-1');
  });

  it('hands string and raw-byte bodies over as strings, adding nothing from them to the metadata', async () => {
    await send('fixture-events', { messageId: 'str-1', body: 'hello' }, { messageId: 'raw-1', body: Buffer.from('plain text, not JSON') });
    const all = (await until(received, (r) => r.received.some(byId('str-1')) && r.received.some(byId('raw-1')))).received;
    expect(all.find(byId('str-1'))?.message).toBe('hello');
    expect(all.find(byId('raw-1'))?.message).toBe('plain text, not JSON');
    expect(Object.keys(all.find(byId('raw-1'))?.triggerMetadata ?? {}).sort()).toEqual(
      [
        'applicationProperties', 'client', 'deliveryCount', 'enqueuedTime', 'enqueuedTimeUtc', 'expiresAt', 'expiresAtUtc', 'lockToken',
        'messageActions', 'messageId', 'messageReceiver', 'messageSession', 'receiveActions', 'sequenceNumber', 'sessionActions', 'userProperties',
      ].sort(),
    );
  });

  it('abandons when the handler throws: redelivered with deliveryCount + 1, dead-lettered after maxDeliveryCount', async () => {
    await send('fixture-flaky', { messageId: 'flaky-1', body: { n: 1 } });
    await until(() => broker.stats().queues['fixture-flaky']?.deadLetter, (n) => n === 1);
    expect(broker.stats().queues['fixture-flaky']).toMatchObject({ active: 0, locked: 0, deadLetter: 1 });
    const attempts = (await received()).received.filter(byId('flaky-1'));
    expect(attempts.map((a) => a.triggerMetadata['deliveryCount'])).toEqual([1, 2, 3]);
    expect(lines.filter((l) => /^\[sbFlaky\] message flaky-1 abandoned \d+ms$/.test(l))).toHaveLength(3);
    expect(lines.some((l) => l.includes('sbFlaky') && l.includes('flaky fails on delivery 3'))).toBe(true);

    const deadLetters = client.createReceiver('fixture-flaky', { subQueueType: 'deadLetter' });
    const [dead] = await deadLetters.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(dead?.messageId).toBe('flaky-1');
    expect(dead?.deadLetterReason).toBe('MaxDeliveryCountExceeded');
    expect(dead?.body).toEqual({ n: 1 });
    if (dead) await deadLetters.completeMessage(dead);
    await deadLetters.close();
  });

  it('runs at most maxConcurrentCalls (host.json: 2) at once, and renews the lock of a run longer than it', async () => {
    await send('fixture-slow', ...[1, 2, 3, 4, 5].map((i) => ({ messageId: `slow-${i}`, body: { ms: 200 } })));
    const done = await until(received, (r) => r.received.filter((x) => x.fn === 'sbSlow' && x.phase === 'finished').length >= 5);
    expect(done.received.filter((x) => x.fn === 'sbSlow' && x.phase === 'finished')).toHaveLength(5);
    expect(done.maxActive).toBe(2);

    // The queue's lock is one second; the run takes three. Without renewal it would be redelivered.
    await send('fixture-slow', { messageId: 'long-1', body: { ms: 3_000 } });
    await until(() => lines, (l) => l.some((x) => x.startsWith('[sbSlow] message long-1 ')));
    expect(lines).toContainEqual(expect.stringMatching(/^\[sbSlow\] message long-1 completed \d{4}ms$/));
    const runs = (await received()).received.filter(byId('long-1'));
    expect(runs.map((r) => [r.phase, r.triggerMetadata['deliveryCount']])).toEqual([['started', 1], ['finished', 1]]);
    expect(broker.stats().queues['fixture-slow']).toMatchObject({ active: 0, locked: 0, deadLetter: 0 });
  });

  it('hands a cardinality "many" function its messages in batches of at most maxMessageBatchSize (host.json: 10), with one metadata array per property', async () => {
    await send('fixture-batch', ...Array.from({ length: 25 }, (_, i) => ({ messageId: `batch-${i}`, body: { n: i }, subject: 'userLogin', applicationProperties: { eventType: 'userLogin' } })));
    const batches = async () => (await received()).received.filter((r) => r.fn === 'sbBatch');
    const got = await until(batches, (b) => b.flatMap((r) => r.message as unknown[]).length >= 25);
    const bodies = got.flatMap((r) => r.message as { n: number }[]);
    expect(bodies.map((b) => b.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    for (const batch of got) {
      const messages = batch.message as { n: number }[];
      const meta = batch.triggerMetadata;
      expect(messages.length).toBeLessThanOrEqual(10);
      expect(meta['messageIdArray']).toEqual(messages.map((m) => `batch-${m.n}`));
      expect(meta['deliveryCountArray']).toEqual(messages.map(() => 1));
      expect(meta['subjectArray']).toEqual(messages.map(() => 'userLogin'));
      expect(meta['applicationPropertiesArray']).toEqual(messages.map(() => ({ eventType: 'userLogin' })));
      expect((meta['sequenceNumberArray'] as number[]).every((n) => n >= 1)).toBe(true);
      expect(meta['lockTokenArray']).toHaveLength(messages.length);
      // Empty strings are dropped from the host's string arrays: no content types were sent.
      expect(meta['contentTypeArray']).toEqual([]);
      expect(meta).not.toHaveProperty('messageId');
      expect(meta).not.toHaveProperty('n');
    }
    await until(() => broker.stats().queues['fixture-batch'], (q) => q?.active === 0 && q.locked === 0);
    expect(broker.stats().queues['fixture-batch']).toMatchObject({ active: 0, locked: 0, deadLetter: 0 });
    // The broker sees a batch settled a moment before the host logs it.
    const completed = () => lines.filter((l) => /^\[sbBatch\] batch of \d+ completed \d+ms$/.test(l)).length;
    expect(await until(completed, (n) => n >= got.length)).toBe(got.length);
  });

  it('abandons a whole batch when the function throws: every message of it comes back, none is lost', async () => {
    const before = (await received()).received.filter((r) => r.fn === 'sbBatch').length;
    await send('fixture-batch', { messageId: 'fail-a', body: { n: 100 } }, { messageId: 'fail-b', body: { n: 101, failOnce: true } }, { messageId: 'fail-c', body: { n: 102 } });
    const deliveries = async () =>
      (await received()).received.filter((r) => r.fn === 'sbBatch').slice(before).flatMap((r) => (r.message as { n: number }[]).map((m, i) => [m.n, (r.triggerMetadata['deliveryCountArray'] as number[])[i]]));
    const seen = await until(deliveries, (d) => [100, 101, 102].every((n) => d.some(([m, count]) => m === n && count === 2)));
    // Delivered once in the failed batch, then again (delivery count 2) and completed.
    for (const n of [100, 101, 102]) expect(seen.filter(([m]) => m === n).map(([, count]) => count)).toEqual([1, 2]);
    expect(lines.some((l) => /^\[sbBatch\] batch of \d+ abandoned \d+ms$/.test(l))).toBe(true);
    await until(() => broker.stats().queues['fixture-batch'], (q) => q?.active === 0 && q.locked === 0);
    expect(broker.stats().queues['fixture-batch']).toMatchObject({ active: 0, locked: 0, deadLetter: 0 });
  });

  it('runs a Service Bus function at once through POST /admin/functions/{name}', async () => {
    const run = await fetch(`${host.url}/admin/functions/sbAudit`, { method: 'POST', body: JSON.stringify({ input: '{"userId":"42","manual":true}' }) });
    expect(run.status).toBe(202);
    const got = (await received()).received.filter((r) => r.fn === 'sbAudit').at(-1);
    expect(got?.message).toEqual({ userId: '42', manual: true });
    // A message made from the input alone: no id, delivery count 0, an empty lock token.
    expect(got?.triggerMetadata).toMatchObject({ deliveryCount: 0, lockToken: '00000000-0000-0000-0000-000000000000', sequenceNumber: -1, userId: 42, manual: 'True' });
    expect(got?.triggerMetadata).not.toHaveProperty('messageId');

    const failed = await fetch(`${host.url}/admin/functions/sbFlaky`, { method: 'POST', body: JSON.stringify({ input: 'x' }) });
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { detail: string }).detail).toMatch(/flaky fails on delivery 0/);
  });

  it('fails to start, naming the setting, when a trigger\'s connection setting is missing', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, FIXTURE_TOPIC: 'fixture-events', TICK_SCHEDULE: '0 0 * * * *' };
    delete env['FixtureServiceBus'];
    const child = spawn(process.execPath, [join(root, 'dist/infra/local/host-main.js'), '--script-root', fixture, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/Function "sb\w+" cannot start: Service Bus connection 'FixtureServiceBus' does not exist\. Make sure that it is a defined App Setting\./);
  });

  // Last: it stops the host.
  it('on stop, lets a running invocation finish and settle, then stops receiving and leaves nothing open', async () => {
    await send('fixture-slow', { messageId: 'inflight-1', body: { ms: 800 } });
    await until(received, (r) => r.received.some((x) => byId('inflight-1')(x) && x.phase === 'started'));
    await host.stop();
    hostStopped = true;
    // With the test's own client closed too, only the broker's listener and timers may remain.
    await client.close();
    await sleep(300);
    const after = countResources();
    expect(after['TCPSocketWrap'] ?? 0).toBe(0);
    expect(after['TCPServerWrap']).toBe(resourcesBefore['TCPServerWrap']);
    expect(after['Timeout'] ?? 0).toBeLessThanOrEqual(resourcesBefore['Timeout'] ?? 0);
    client = new ServiceBusClient(broker.connectionString);
    // Read at once: stop() returned only after the 800 ms run had finished and settled.
    const runs = lines.filter((l) => l.startsWith('[sbSlow] message inflight-1 '));
    expect(runs).toEqual([expect.stringMatching(/^\[sbSlow\] message inflight-1 completed \d+ms$/)]);
    expect(broker.stats().queues['fixture-slow']).toMatchObject({ active: 0, locked: 0 });

    await send('fixture-slow', { messageId: 'after-stop', body: { ms: 1 } });
    await sleep(500);
    expect(broker.stats().queues['fixture-slow']).toMatchObject({ active: 1, locked: 0 });
    expect(lines.some((l) => l.includes('after-stop'))).toBe(false);
  });
});
