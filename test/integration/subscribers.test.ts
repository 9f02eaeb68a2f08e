/**
 * The subscriber functions called as the host calls them (message body plus trigger metadata),
 * against the real Cosmos stand-in, Redis and Service Bus stand-in: a redelivered event changes
 * nothing, a malformed one is poison.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { REDIS_URL, testRedis } from '../support/redis-client.js';
import { startTestServiceBus, type TestServiceBus } from '../support/service-bus.js';

const redis = testRedis('subscribers');
let cosmos: TestCosmos;
let bus: TestServiceBus;
let handlers: typeof import('../../functions/events/audit-events.js') & typeof import('../../functions/events/presence-events.js');
let services: Awaited<ReturnType<typeof import('../../functions/platform/services.js')['getServices']>>;
let closeServices: () => Promise<void>;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  bus = await startTestServiceBus();
  // The app reads its settings once, from the environment, like in Azure.
  Object.assign(process.env, {
    COSMOS_ENDPOINT: cosmos.server.endpoint,
    COSMOS_KEY: 'test',
    COSMOS_DATABASE: cosmos.handle.database.id,
    REDIS_URL,
    REDIS_KEY_PREFIX: redis.prefix,
    JWT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
    ServiceBusConnection: bus.broker.connectionString,
  });
  const platform = await import('../../functions/platform/services.js');
  closeServices = platform.closeServices;
  services = await platform.getServices();
  handlers = { ...(await import('../../functions/events/audit-events.js')), ...(await import('../../functions/events/presence-events.js')) };
});
afterAll(async () => {
  await closeServices?.();
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
  it('records an event once however often it is delivered', async () => {
    const userId = randomUUID();
    const body = { userId, timestamp: new Date().toISOString() };
    const meta = { messageId: randomUUID(), subject: 'userLogin', applicationProperties: { eventType: 'userLogin' }, deliveryCount: 1 };
    await handlers.auditEvents(body, context('auditEvents', meta).context);
    await handlers.auditEvents(body, context('auditEvents', { ...meta, deliveryCount: 2 }).context);
    const page = await services.audit.list(userId, { limit: 10 });
    expect(page.items).toEqual([expect.objectContaining({ id: meta.messageId, type: 'userLogin', data: body })]);
  });

  it('treats a malformed message as poison: logs the reason and throws, writing nothing', async () => {
    const userId = randomUUID();
    const { context: ctx, errors } = context('auditEvents', { messageId: 'bad-1', subject: 'userLogin' });
    await expect(handlers.auditEvents({ userId, when: 'yesterday' }, ctx)).rejects.toThrow(/poison message/);
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
    await handlers.presenceEvents(body, context('presenceEvents', meta).context);
    await handlers.presenceEvents(body, context('presenceEvents', meta).context);
    expect((await services.presence.presence.get(userId)).status).toBe('online');
    const events = (await bus.drain('audit')).filter((e) => e.subject === 'userStatusChange');
    expect(events).toHaveLength(1);
    expect(events[0]?.body).toMatchObject({ userId, previousStatus: 'offline', newStatus: 'online' });
  });

  it('does not let a late logout undo a newer login', async () => {
    const userId = randomUUID();
    const t = Date.now();
    const meta = (type: string) => ({ messageId: randomUUID(), subject: type, applicationProperties: { eventType: type } });
    await handlers.presenceEvents({ userId, timestamp: new Date(t).toISOString() }, context('presenceEvents', meta('userLogin')).context);
    await handlers.presenceEvents({ userId, timestamp: new Date(t + 2000).toISOString() }, context('presenceEvents', meta('userLogout')).context);
    await handlers.presenceEvents({ userId, timestamp: new Date(t + 4000).toISOString() }, context('presenceEvents', meta('userLogin')).context);
    // The logout at t+2000 delivered again, late: nothing changes.
    await handlers.presenceEvents({ userId, timestamp: new Date(t + 2000).toISOString() }, context('presenceEvents', meta('userLogout')).context);
    expect((await services.presence.presence.get(userId)).status).toBe('online');
    await bus.drain('audit', 100);
  });
});
