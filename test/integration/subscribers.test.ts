/**
 * The subscriber functions called as the host calls them (message body plus trigger metadata),
 * against the real Cosmos stand-in, Redis and Service Bus stand-in: a redelivered event changes
 * nothing, a malformed one is poison.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../functions/events/audit-events.js';
import { presenceEvents } from '../../functions/events/presence-events.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createServices, type Services } from '../../functions/platform/services.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { REDIS_URL, testRedis } from '../support/redis-client.js';
import { startTestServiceBus, type TestServiceBus } from '../support/service-bus.js';

const redis = testRedis('subscribers');
let cosmos: TestCosmos;
let bus: TestServiceBus;
let services: Services;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  bus = await startTestServiceBus();
  // The services the host would build, handed to the handlers directly: no process.env.
  const config = loadConfig({
    COSMOS_ENDPOINT: cosmos.server.endpoint,
    COSMOS_KEY: 'test',
    COSMOS_DATABASE: cosmos.handle.database.id,
    REDIS_URL,
    REDIS_KEY_PREFIX: redis.prefix,
    JWT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
    ServiceBusConnection: bus.broker.connectionString,
  });
  services = await createServices(config);
});
afterAll(async () => {
  await services?.close();
  await bus?.stop();
  await cosmos?.stop();
  await redis.stop();
});

function context(functionName: string, metadata: Record<string, unknown>): { context: InvocationContext; errors: string[] } {
  const errors: string[] = [];
  const ctx = new InvocationContext({
    functionName,
    triggerMetadata: metadata,
    logHandler: (level, ...args) => {
      if (level === 'error') errors.push(args.map(String).join(' '));
    },
  });
  return { context: ctx, errors };
}

describe('audit subscriber', () => {
  /** The metadata the host sends with a batch: one array per property. */
  const batchMeta = (ids: string[], types: string[], deliveryCount = 1) => ({
    messageIdArray: ids,
    subjectArray: types,
    applicationPropertiesArray: types.map((eventType) => ({ eventType })),
    deliveryCountArray: ids.map(() => deliveryCount),
  });

  it('records an event once however often it is delivered', async () => {
    const userId = randomUUID();
    const body = { userId, timestamp: new Date().toISOString() };
    const id = randomUUID();
    await auditEvents([body], services, context('auditEvents', batchMeta([id], ['userLogin'])).context);
    await auditEvents([body], services, context('auditEvents', batchMeta([id], ['userLogin'], 2)).context);
    const page = await services.audit.list(userId, { limit: 10 });
    expect(page.items).toEqual([expect.objectContaining({ id, type: 'userLogin', data: body })]);
  });

  it('records a batch in one go, and a redelivered batch adds nothing', async () => {
    const userId = randomUUID();
    const bodies = Array.from({ length: 250 }, (_, i) => ({ userId, timestamp: new Date(Date.now() - i * 1000).toISOString() }));
    const ids = bodies.map(() => randomUUID());
    const meta = batchMeta(ids, bodies.map(() => 'userLogin'));
    await auditEvents(bodies, services, context('auditEvents', meta).context);
    await auditEvents(bodies, services, context('auditEvents', { ...meta, deliveryCountArray: ids.map(() => 2) }).context);
    let found = 0;
    let cursor: string | undefined;
    do {
      const page = await services.audit.list(userId, { limit: 100, cursor });
      found += page.items.length;
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(found).toBe(250);
  });

  it('records the good events of a batch with a poison one, then fails the batch so the broker keeps the poison one', async () => {
    const userId = randomUUID();
    const good = { userId, timestamp: new Date().toISOString() };
    const goodId = randomUUID();
    const { context: ctx, errors } = context('auditEvents', batchMeta([goodId, 'bad-2'], ['userLogin', 'userLogin']));
    await expect(auditEvents([good, { userId, when: 'yesterday' }], services, ctx)).rejects.toThrow(/poison message/);
    expect(errors.join('\n')).toMatch(/auditEvents: poison message bad-2: userLogin data is invalid/);
    expect((await services.audit.list(userId, { limit: 10 })).items).toEqual([expect.objectContaining({ id: goodId })]);
  });

  it('treats a malformed message as poison: logs the reason and throws, writing nothing', async () => {
    const userId = randomUUID();
    const { context: ctx, errors } = context('auditEvents', batchMeta(['bad-1'], ['userLogin']));
    await expect(auditEvents([{ userId, when: 'yesterday' }], services, ctx)).rejects.toThrow(/poison message/);
    expect(errors.join('\n')).toMatch(/auditEvents: poison message bad-1: userLogin data is invalid/);
    expect((await services.audit.list(userId, { limit: 10 })).items).toEqual([]);
  });
});

describe('presence subscriber', () => {
  it('brings a player online on userLogin once, emits one userStatusChange, and ignores the redelivery', async () => {
    const userId = randomUUID();
    const body = { userId, timestamp: new Date().toISOString() };
    const meta = { messageId: randomUUID(), subject: 'userLogin', applicationProperties: { eventType: 'userLogin' } };
    await bus.drain('audit', 100);
    await presenceEvents(body, services, context('presenceEvents', meta).context);
    await presenceEvents(body, services, context('presenceEvents', meta).context);
    expect((await services.presence.presence.get(userId)).status).toBe('online');
    const events = (await bus.drain('audit')).filter((e) => e.subject === 'userStatusChange');
    expect(events).toHaveLength(1);
    expect(events[0]?.body).toMatchObject({ userId, previousStatus: 'offline', newStatus: 'online' });
  });

  it('does not let a late logout undo a newer login', async () => {
    const userId = randomUUID();
    const t = Date.now();
    const meta = (type: string) => ({ messageId: randomUUID(), subject: type, applicationProperties: { eventType: type } });
    await presenceEvents({ userId, timestamp: new Date(t).toISOString() }, services, context('presenceEvents', meta('userLogin')).context);
    await presenceEvents({ userId, timestamp: new Date(t + 2000).toISOString() }, services, context('presenceEvents', meta('userLogout')).context);
    await presenceEvents({ userId, timestamp: new Date(t + 4000).toISOString() }, services, context('presenceEvents', meta('userLogin')).context);
    // The logout at t+2000 delivered again, late: nothing changes.
    await presenceEvents({ userId, timestamp: new Date(t + 2000).toISOString() }, services, context('presenceEvents', meta('userLogout')).context);
    expect((await services.presence.presence.get(userId)).status).toBe('online');
    await bus.drain('audit', 100);
  });
});
