/**
 * The outbox gap: a process killed between an account change and anything after it. A child
 * process makes the change with the app's own services against the Cosmos stand-in and is killed
 * (SIGKILL) right after the change's write, or after publishing but before clearing; the relay
 * then publishes the event exactly once (by message id, with Service Bus duplicate detection).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, signUp } from '../../functions/core/accounts/accounts.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createServices, type Services } from '../../functions/platform/services.js';
import { PROJECT_ROOT } from '../../functions/platform/version.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { REDIS_URL, testRedis } from '../support/redis-client.js';
import { startTestServiceBus, type TestServiceBus } from '../support/service-bus.js';

const CHILD = join(PROJECT_ROOT, 'dist/infra/faults/change-then-die.js');
const redis = testRedis('outbox-crash');
let cosmos: TestCosmos;
let bus: TestServiceBus;
let env: Record<string, string>;
let services: Services;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  bus = await startTestServiceBus();
  env = {
    COSMOS_ENDPOINT: cosmos.server.endpoint,
    COSMOS_KEY: 'test',
    COSMOS_DATABASE: cosmos.handle.database.id,
    REDIS_URL,
    REDIS_KEY_PREFIX: redis.prefix,
    JWT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
    ServiceBusConnection: bus.broker.connectionString,
    BCRYPT_COST: '10',
  };
  services = await createServices(loadConfig(env));
});
afterAll(async () => {
  await services?.close();
  await bus?.stop();
  await cosmos?.stop();
  await redis.stop();
});

/** Runs the change in a child and kills it at the point; resolves once it is dead. */
function changeThenDie(action: 'signup' | 'login' | 'logout', point: 'after-change' | 'after-publish', input: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, action, point, JSON.stringify(input)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('CRASH-POINT')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (_code, signal) => {
      if (signal === 'SIGKILL' && out.includes('CRASH-POINT')) resolve();
      else reject(new Error(`the child did not reach its crash point: ${out} ${err}`));
    });
  });
}

/** Everything the relay publishes now (the safety margin skipped), as it reaches the audit subscription. */
async function relayAndReceive(): Promise<{ messageId: string; subject: string; body: unknown }[]> {
  await services.events.relayDue(Date.now() + 60_000);
  return bus.drain('audit', 1_000);
}

const password = 'correct horse battery';
function newPlayer() {
  const name = `p${randomUUID().slice(0, 8)}`;
  return { username: name, email: `${name}@example.test`, password };
}

describe('a process killed right after the change', () => {
  it('sign-up: the user exists and its userSignUp is published once', async () => {
    const player = newPlayer();
    await changeThenDie('signup', 'after-change', player);
    const user = await services.accounts.users.findByLogin(player.username);
    expect(user?.username).toBe(player.username);

    const published = await relayAndReceive();
    expect(published.map((m) => m.subject)).toEqual(['userSignUp']);
    expect(published[0]?.body).toMatchObject({ userId: user?.id, userDetails: { username: player.username } });
    expect(await relayAndReceive()).toEqual([]);
  });

  it('login: the session exists and its userLogin is published once', async () => {
    const player = newPlayer();
    const { user } = await signUp(services.accounts, player, { userAgent: null, ip: null, clientLabel: null });
    await bus.drain('audit', 300);
    await changeThenDie('login', 'after-change', { login: player.username, password });

    const sessions = await services.accounts.sessions.allOfUser(user.id);
    expect(sessions).toHaveLength(2);
    const published = await relayAndReceive();
    expect(published.map((m) => m.subject)).toEqual(['userLogin']);
    expect(published[0]?.body).toMatchObject({ userId: user.id });
    expect(await relayAndReceive()).toEqual([]);
  });

  it('logout: the session is ended and its userLogout is published once', async () => {
    const player = newPlayer();
    await signUp(services.accounts, player, { userAgent: null, ip: null, clientLabel: null });
    const grant = await logIn(services.accounts, { login: player.email, password }, { userAgent: null, ip: null, clientLabel: null });
    await bus.drain('audit', 300);
    await changeThenDie('logout', 'after-change', { userId: grant.user.id, sessionId: grant.sessionId });

    const session = await services.accounts.sessions.get(grant.user.id, grant.sessionId);
    expect(session?.revokedReason).toBe('logout');
    const published = await relayAndReceive();
    expect(published.map((m) => m.subject)).toEqual(['userLogout']);
    expect(await relayAndReceive()).toEqual([]);
  });
});

describe('a process killed after publishing, before it could clear the event', () => {
  it('the relay publishes it again under the same message id, and subscribers get it once', async () => {
    const player = newPlayer();
    await changeThenDie('signup', 'after-publish', player);
    const first = await bus.drain('audit', 1_000);
    expect(first.map((m) => m.subject)).toEqual(['userSignUp']);

    // The event is still pending in the user document: the relay sends it again, duplicate detection drops it.
    const user = await services.accounts.users.findByLogin(player.username);
    expect(user?.pendingEvents?.map((p) => p.event.id)).toEqual([first[0]?.messageId]);
    expect(await relayAndReceive()).toEqual([]);
    expect((await services.accounts.users.findById(user?.id ?? ''))?.pendingEvents).toBeUndefined();
  });
});
