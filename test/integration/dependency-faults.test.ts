/**
 * Dependencies failing under a request: Cosmos throttling (429) and stalling, Redis stalling and
 * cutting connections, each injected by a proxy in front of the stand-in. The answer is a 503
 * problem with Retry-After within a bounded time, never a 500 and never a hang; retries bounded.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosmos, ensureCosmosSchema } from '../../functions/adapters/cosmos/client.js';
import { signUp } from '../../functions/core/accounts/accounts.js';
import { me } from '../../functions/http/accounts/me.js';
import { loadConfig } from '../../functions/platform/config.js';
import { handle, REQUEST_BUDGET_MS } from '../../functions/platform/http.js';
import { createServices, type Services } from '../../functions/platform/services.js';
import { startCosmosStandIn, type CosmosStandIn } from '../../infra/local/stand-ins.js';
import { startFaultProxy, startThrottlingProxy, type FaultProxy, type ThrottlingProxy } from '../support/fault-proxy.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { startTestServiceBus, type TestServiceBus } from '../support/service-bus.js';

let cosmos: CosmosStandIn;
let throttling: ThrottlingProxy;
let cosmosLink: FaultProxy;
let redis: PrivateRedis;
let redisLink: FaultProxy;
let bus: TestServiceBus;
let services: Services;
let accessToken: string;
/** The edge's budget for these requests: the mechanism of REQUEST_BUDGET_MS (20 s), shorter to keep the test quick. */
const BUDGET_MS = 3_000;

beforeAll(async () => {
  [cosmos, redis, bus] = await Promise.all([startCosmosStandIn(), startPrivateRedis(), startTestServiceBus()]);
  // The app -> TCP faults -> HTTP 429s -> the Cosmos stand-in; the app -> TCP faults -> Redis.
  throttling = await startThrottlingProxy(Number(new URL(cosmos.endpoint).port));
  cosmosLink = await startFaultProxy(Number(new URL(throttling.endpoint).port));
  redisLink = await startFaultProxy(Number(new URL(redis.url).port));
  const database = `faults-${randomUUID().slice(0, 6)}`;
  const schema = await createCosmos({ endpoint: cosmos.endpoint, key: 'test', database }, undefined);
  await ensureCosmosSchema(schema);
  schema.client.dispose();
  services = await createServices(
    loadConfig({
      COSMOS_ENDPOINT: `http://127.0.0.1:${cosmosLink.port}`,
      COSMOS_KEY: 'test',
      COSMOS_DATABASE: database,
      REDIS_URL: `redis://127.0.0.1:${redisLink.port}`,
      REDIS_KEY_PREFIX: 'faults:',
      JWT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
      ServiceBusConnection: bus.broker.connectionString,
      BCRYPT_COST: '10',
    }),
  );
  const name = `p${randomUUID().slice(0, 8)}`;
  const grant = await signUp(services.accounts, { username: name, email: `${name}@example.test`, password: 'correct horse battery' }, { userAgent: null, ip: null, clientLabel: null });
  accessToken = grant.accessToken;
}, 60_000);
afterAll(async () => {
  await services?.close();
  await Promise.all([cosmosLink?.stop(), redisLink?.stop(), throttling?.stop()]);
  await Promise.all([cosmos?.stop(), redis?.stop(), bus?.stop()]);
});

/** GET /api/me through the same edge the host calls: a Redis check (deny list), then a Cosmos read. */
async function getMe(budgetMs = BUDGET_MS): Promise<{ response: HttpResponseInit; ms: number }> {
  const request = new HttpRequest({ url: 'http://127.0.0.1/api/me', method: 'GET', headers: { authorization: `Bearer ${accessToken}` } });
  const started = performance.now();
  const response = await handle(me as never, () => services, budgetMs)(request, new InvocationContext());
  return { response, ms: performance.now() - started };
}

function expectHonest503(response: HttpResponseInit): void {
  expect(response.status).toBe(503);
  const headers = response.headers as Record<string, string>;
  expect(Number(headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  expect((response.jsonBody as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
}

async function healthy(): Promise<void> {
  cosmosLink.set('pass');
  redisLink.set('pass');
  throttling.throttle = false;
  // Both links reconnect on their own; wait until a request goes through again.
  for (let i = 0; i < 50; i++) {
    if ((await getMe()).response.status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the app did not recover');
}

describe('a dependency failing under a request', () => {
  it('answers 200 while everything is up', async () => {
    expect((await getMe()).response.status).toBe(200);
  });

  it('Cosmos throttling every request: 503 with Retry-After after a bounded number of retries', async () => {
    throttling.throttle = true;
    throttling.throttled = 0;
    const { response, ms } = await getMe(REQUEST_BUDGET_MS);
    expectHonest503(response);
    expect(throttling.throttled).toBeLessThanOrEqual(4);
    expect(ms).toBeLessThan(5_000);
    await healthy();
  });

  it('Cosmos stalled (accepts, never answers): 503 within the request timeout, not a hang', async () => {
    cosmosLink.set('stall');
    // The production budget: the 503 comes from Cosmos's own 5 s request timeout, not from the edge.
    const { response, ms } = await getMe(REQUEST_BUDGET_MS);
    expectHonest503(response);
    expect(ms).toBeLessThan(8_000);
    await healthy();
  }, 40_000);

  it('Redis stalled (accepts commands, never answers): 503 at the request budget, not a hang', async () => {
    redisLink.set('stall');
    const { response, ms } = await getMe();
    expectHonest503(response);
    expect(ms).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    expect(ms).toBeLessThan(BUDGET_MS + 2_000);
    await healthy();
  });

  it('Redis connections cut: 503 at once, and the app reconnects after', async () => {
    redisLink.set('cut');
    const { response, ms } = await getMe();
    expectHonest503(response);
    expect(ms).toBeLessThan(5_000);
    await healthy();
  });
});
