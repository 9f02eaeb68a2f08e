/**
 * Redis coming back empty (a restart without persistence, a failover) under traffic, on a private
 * redis-server flushed mid-run: no revoked access token is accepted again (the deny list's marker
 * is gone, so every token issued before is refused and clients refresh; the sessions in Cosmos
 * decide), and the activity lost is what was buffered since the last sync, no more.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { HttpRequest } from '@azure/functions';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, signUp } from '../../functions/core/accounts/accounts.js';
import { syncActivity } from '../../functions/core/activity/sync.js';
import { trackActivity } from '../../functions/core/activity/activity.js';
import { logOut, refresh } from '../../functions/core/sessions/sessions.js';
import { authenticate } from '../../functions/platform/auth.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createServices, type Services } from '../../functions/platform/services.js';
import { storedActivityCount } from '../../bench/activity-counts.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { startTestServiceBus, type TestServiceBus } from '../support/service-bus.js';

let redis: PrivateRedis;
let cosmos: TestCosmos;
let bus: TestServiceBus;
let services: Services;

beforeAll(async () => {
  [redis, cosmos, bus] = await Promise.all([startPrivateRedis(), startTestCosmos(), startTestServiceBus()]);
  services = await createServices(
    loadConfig({
      COSMOS_ENDPOINT: cosmos.server.endpoint,
      COSMOS_KEY: 'test',
      COSMOS_DATABASE: cosmos.handle.database.id,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'loss:',
      JWT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
      ServiceBusConnection: bus.broker.connectionString,
      BCRYPT_COST: '10',
    }),
  );
});
afterAll(async () => {
  await services?.close();
  await bus?.stop();
  await cosmos?.stop();
  await redis?.stop();
});

/** Redis loses everything: only ever this test's private server. */
async function flushPrivateRedis(): Promise<void> {
  const client = createClient({ url: redis.url });
  await client.connect();
  // The test's own redis-server on a free port (startPrivateRedis), never the machine's shared one.
  await client.flushAll();
  await client.close();
}

async function accepted(accessToken: string): Promise<boolean> {
  const request = new HttpRequest({ url: 'http://127.0.0.1/api/me', method: 'GET', headers: { authorization: `Bearer ${accessToken}` } });
  return authenticate(request, services).then(
    () => true,
    () => false,
  );
}

const origin = { userAgent: null, ip: null, clientLabel: null };

describe('Redis comes back empty mid-traffic', () => {
  it('accepts no revoked token again; live players get new tokens by refreshing, ended sessions do not', async () => {
    const name = `p${randomUUID().slice(0, 8)}`;
    const password = 'correct horse battery';
    await signUp(services.accounts, { username: name, email: `${name}@example.test`, password }, origin);
    const ended = await logIn(services.accounts, { login: name, password }, origin);
    const live = await logIn(services.accounts, { login: name, password }, origin);
    await logOut(services.accounts, ended.user.id, ended.sessionId);
    expect(await accepted(ended.accessToken)).toBe(false);
    expect(await accepted(live.accessToken)).toBe(true);

    // Traffic: both tokens presented again and again while Redis is flushed underneath.
    let running = true;
    const seen = { endedAccepted: 0, checks: 0 };
    const traffic = (async () => {
      while (running) {
        if (await accepted(ended.accessToken)) seen.endedAccepted += 1;
        seen.checks += 1;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    await flushPrivateRedis();
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await traffic;

    expect(seen.checks).toBeGreaterThan(10);
    expect(seen.endedAccepted).toBe(0);
    // Every token from before the loss is refused, the live one too: its client refreshes.
    expect(await accepted(live.accessToken)).toBe(false);
    const renewed = await refresh(services.accounts, live.refreshToken, null);
    expect(await accepted(renewed.accessToken)).toBe(true);
    // The logged-out session cannot come back through a refresh: Cosmos says it ended.
    await expect(refresh(services.accounts, ended.refreshToken, null)).rejects.toThrow(/invalid, expired or revoked/);
    // And a logout after the loss is honoured again.
    await logOut(services.accounts, renewed.user.id, renewed.sessionId);
    expect(await accepted(renewed.accessToken)).toBe(false);
  });

  it('loses only the activity buffered since the last sync', async () => {
    const gameServer = { subject: 'client:test', kind: 'service' as const, sessionId: null, roles: ['game-server' as const], username: null };
    const userId = randomUUID();
    const items = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ userId, activity: 'kill', details: { i: from + i }, timestamp: new Date(Date.now() - 1000).toISOString() }));
    const limits = { maxItems: 10_000, batchSize: 200, timeBudgetMs: 30_000 };

    await trackActivity(services.activity, gameServer, items(40, 0));
    await syncActivity(services.sync, limits);
    await trackActivity(services.activity, gameServer, items(25, 40));
    await flushPrivateRedis();
    await trackActivity(services.activity, gameServer, items(10, 65));
    await syncActivity(services.sync, limits);

    // 40 synced before the loss and 10 sent after it are kept; the 25 buffered in between are gone.
    expect(await storedActivityCount(cosmos.handle.container('activity'), userId)).toBe(50);
  });
});
