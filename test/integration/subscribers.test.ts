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
  it('records an event once however often it is delivered', async () => {
    const userId = randomUUID();
    const body = { userId, timestamp: new Date().toISOString() };
    const meta = { messageId: randomUUID(), subject: 'userLogin', applicationProperties: { eventType: 'userLogin' }, deliveryCount: 1 };
    await auditEvents(body, services, context('auditEvents', meta).context);
    await auditEvents(body, services, context('auditEvents', { ...meta, deliveryCount: 2 }).context);
    const page = await services.audit.list(userId, { limit: 10 });
    expect(page.items).toEqual([expect.objectContaining({ id: meta.messageId, type: 'userLogin', data: body })]);
  });

  it('treats a malformed message as poison: logs the reason and throws, writing nothing', async () => {
    const userId = randomUUID();
    const { context: ctx, errors } = context('auditEvents', { messageId: 'bad-1', subject: 'userLogin' });
    await expect(auditEvents({ userId, when: 'yesterday' }, services, ctx)).rejects.toThrow(/poison message/);
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
