/**
 * User events end to end: each action emits its event once, the audit subscriber records it, an
 * outage of the broker loses nothing, a poison message ends in the dead-letter queue.
 */
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_DATA_SCHEMAS, type EventType } from '../../functions/core/events/events.js';
import { eventually, runFunction, waitForEvents } from '../support/events.js';
import { freePort } from '../support/redis-server.js';
import { gameServerToken, logIn, signUp } from '../support/players.js';
import { startTestServiceBus, type TestServiceBus } from '../support/service-bus.js';
import { call, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let bus: TestServiceBus;
let busPort: number;
const BOOTSTRAP = 'bootstrap-token-for-the-events-tests';

beforeAll(async () => {
  // The test owns the broker, so it can take it away and bring it back on the same port.
  busPort = await freePort();
  bus = await startTestServiceBus(busPort);
  stack = await startStack({
    label: 'events',
    env: {
      ServiceBusConnection: bus.broker.connectionString,
      ACTIVITY_SYNC_SCHEDULE: '0 0 0 1 1 *',
      EVENT_RELAY_SCHEDULE: '0 0 0 1 1 *',
      EVENT_PUBLISH_TIMEOUT_MS: '500',
      ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP,
    },
  });
});
afterAll(async () => {
  await stack?.stop();
  await bus?.stop();
});

function expectValid(type: EventType, data: unknown) {
  const result = EVENT_DATA_SCHEMAS[type].safeParse(data);
  expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
}

describe('each action emits its event once, and the audit trail shows it', () => {
  it('sign-up, login, status change, logout and synced activity', async () => {
    const player = await signUp(stack);
    const userId = player.user.id;
    const second = await logIn(stack, player.player);
    await call(`${stack.api}/user-status`, { method: 'PUT', token: second.accessToken, body: { status: 'in-game' } });
    const server = await gameServerToken(stack);
    await call(`${stack.api}/track-activity`, { token: server, body: [{ id: 'a1', userId, activity: 'kill', details: { weapon: 'axe' } }] });
    await runFunction(stack, 'syncActivity');
    await call(`${stack.api}/logout`, { method: 'POST', token: player.accessToken });

    const admin = second.accessToken; // the owner may read their own trail
    const trail = await waitForEvents(stack, userId, admin, { userSignUp: 1, userLogin: 1, userLogout: 1, userActivity: 1, userStatusChange: 2 });
    const byType = (type: string) => trail.filter((e) => e.type === type);
    expect(byType('userSignUp')).toHaveLength(1);
    expect(byType('userSignUp')[0]?.data).toEqual({ userId, timestamp: expect.any(String), userDetails: { username: player.player.username, email: player.player.email } });
    expect(byType('userLogin')).toHaveLength(1);
    expect(byType('userLogout')).toHaveLength(1);
    expect(byType('userActivity')).toEqual([expect.objectContaining({ data: { userId, activity: 'kill', details: { weapon: 'axe' }, timestamp: expect.any(String) } })]);
    const changes = byType('userStatusChange').map((e) => `${String(e.data['previousStatus'])}->${String(e.data['newStatus'])}`);
    expect(changes).toContain('offline->online');
    expect(changes).toContain('online->in-game');
    for (const event of trail) expectValid(event.type as EventType, event.data);
    // Newest first.
    const times = trail.map((e) => e.timestamp);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('is readable by the owner and admins only', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    expect((await call(`${stack.api}/users/${a.user.id}/events`, { token: b.accessToken })).status).toBe(403);
    expect((await call(`${stack.api}/users/${a.user.id}/events`, { token: await gameServerToken(stack) })).status).toBe(403);
  });
});

describe('lifecycle events', () => {
  it('profile, password, status, roles and deletion each reach the audit trail once, naming no values', async () => {
    const first = await signUp(stack);
    expect((await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token: BOOTSTRAP } })).status).toBe(200);
    const admin = (await call<{ accessToken: string }>(`${stack.api}/token/refresh`, { body: { refreshToken: first.refreshToken } })).body.accessToken;
    const player = await signUp(stack);
    const id = player.user.id;
    const newPassword = 'lifecycle passphrase two';
    const steps = [
      await call(`${stack.api}/users/${id}`, { method: 'PATCH', token: player.accessToken, body: { displayName: 'Renamed' } }),
      await call(`${stack.api}/users/${id}`, { method: 'PUT', token: player.accessToken, body: { password: newPassword, currentPassword: player.player.password } }),
      await call(`${stack.api}/admin/users/${id}/roles`, { method: 'PUT', token: admin, body: { admin: true } }),
      await call(`${stack.api}/admin/users/${id}/account-status`, { method: 'PUT', token: admin, body: { status: 'banned', reason: 'testing' } }),
      await call(`${stack.api}/users/${id}`, { method: 'DELETE', token: admin }),
    ];
    expect(steps.map((r) => r.status)).toEqual([200, 200, 200, 200, 204]);
    const types = { userProfileUpdated: 1, userPasswordChanged: 1, userRolesChanged: 1, userAccountStatusChanged: 1, userDeleted: 1 };
    const trail = await waitForEvents(stack, id, admin, types);
    for (const type of Object.keys(types)) expect(trail.filter((e) => e.type === type), type).toHaveLength(1);
    expect(trail.find((e) => e.type === 'userProfileUpdated')?.data['fields']).toEqual(['displayName']);
    expect(trail.find((e) => e.type === 'userAccountStatusChanged')?.data).toMatchObject({ status: 'banned', reason: 'testing', until: null });
    expect(trail[0]?.type).toBe('userDeleted');
    expect(JSON.stringify(trail)).not.toContain(newPassword);
    for (const event of trail) expectValid(event.type as EventType, event.data);
  });
});

describe('an outage of the broker', () => {
  it('loses no event: login still works, and the relay publishes it once the broker is back', async () => {
    const player = await signUp(stack);
    await waitForEvents(stack, player.user.id, player.accessToken, { userSignUp: 1 });
    await bus.stop();
    const started = Date.now();
    const during = await call(`${stack.api}/login`, { body: { login: player.player.username, password: player.player.password } });
    expect(during.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);

    const ready = await call<{ failed: string[] }>(`${stack.api}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.failed).toEqual(['serviceBus']);
    const status = await call(`${stack.api}/status`);
    expect(status.status).toBe(500);
    expect(status.body).toMatchObject({ status: 'ERROR', details: 'failed checks: serviceBus' });

    bus = await startTestServiceBus(busPort);
    await eventually(() => call(`${stack.api}/health/ready`), (r) => r.status === 200, 15_000);
    await new Promise((r) => setTimeout(r, 600));
    // The relay takes events older than its safety margin (5 s): wait it out, then run it now.
    await new Promise((r) => setTimeout(r, 5_000));
    await runFunction(stack, 'relayEvents');
    const trail = await waitForEvents(stack, player.user.id, player.accessToken, { userLogin: 1 }, 20_000);
    expect(trail.filter((e) => e.type === 'userLogin')).toHaveLength(1);
  });
});

describe('subscribers', () => {
  it('send a poison message to the dead-letter queue instead of retrying it forever', async () => {
    const client = new ServiceBusClient(bus.broker.connectionString);
    try {
      const sender = client.createSender('user-events');
      await sender.sendMessages({ body: { userId: 'x' }, messageId: `poison-${Date.now()}`, subject: 'userLogin', applicationProperties: { eventType: 'userLogin' } });
      await sender.close();
      const dlq = client.createReceiver('user-events', 'audit', { subQueueType: 'deadLetter' });
      const dead = await eventually(() => dlq.peekMessages(10), (m) => m.length > 0, 20_000);
      expect(dead).toHaveLength(1);
      expect(dead[0]?.deadLetterReason).toBe('MaxDeliveryCountExceeded');
      expect(dead[0]?.deliveryCount).toBeGreaterThanOrEqual(5);
      await dlq.close();
    } finally {
      await client.close();
    }
  });
});
