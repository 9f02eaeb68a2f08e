import { afterEach, describe, expect, it } from 'vitest';
import { ENTRA_REFRESH_RATIO, entraRedisCredentials, type RedisCredentials } from '../../functions/adapters/redis/client.js';
import { loadConfig } from '../../functions/platform/config.js';
import { FakeCredential } from '../support/fake-credential.js';

type Credentials = { username?: string; password?: string };

function listen(provider: RedisCredentials) {
  const updates: Credentials[] = [];
  const errors: Error[] = [];
  const subscription = provider.subscribe({
    onNext: (credentials) => updates.push(credentials),
    onError: (error) => errors.push(error),
  });
  return { subscription, updates, errors };
}

const disposables: { dispose(): void }[] = [];
afterEach(() => {
  for (const d of disposables.splice(0)) d.dispose();
});

const waitFor = async (condition: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('entraRedisCredentials', () => {
  it('asks for a Redis token and logs in as the token\'s object id', async () => {
    const credential = new FakeCredential(['11111111-aaaa'], 60_000);
    const { subscription } = listen(await entraRedisCredentials(credential));
    const [initial, disposable] = await subscription;
    disposables.push(disposable);
    expect(credential.issued).toHaveLength(1);
    expect(credential.issued[0]?.scopes).toEqual(['https://redis.azure.com/.default']);
    expect(initial).toEqual({ username: '11111111-aaaa', password: credential.issued[0]?.token });
  });

  it('fetches a new token before the old one expires and hands it to open connections', async () => {
    const lifetimeMs = 1_000;
    const credential = new FakeCredential(['oid-1', 'oid-2'], lifetimeMs);
    const started = Date.now();
    const { subscription, updates } = listen(await entraRedisCredentials(credential));
    disposables.push((await subscription)[1]);
    await waitFor(() => updates.length >= 1, 3_000);
    const elapsed = Date.now() - started;
    // Refreshed at ENTRA_REFRESH_RATIO of the lifetime: well before expiry, not at once.
    expect(elapsed).toBeGreaterThanOrEqual(lifetimeMs * ENTRA_REFRESH_RATIO - 100);
    expect(elapsed).toBeLessThan(lifetimeMs);
    expect(updates[0]).toEqual({ username: 'oid-2', password: credential.issued[1]?.token });
  });

  it('shares one token among connections of the process', async () => {
    const credential = new FakeCredential(['oid-1'], 60_000);
    const provider = await entraRedisCredentials(credential);
    const [a, b] = await Promise.all([listen(provider).subscription, listen(provider).subscription]);
    disposables.push(a[1], b[1]);
    expect(credential.issued).toHaveLength(1);
    expect(a[0]).toEqual(b[0]);
  });

  it('retries a failed refresh and keeps going, reporting the failure', async () => {
    const credential = new FakeCredential(['oid-1', 'oid-2'], 800);
    const reported: Error[] = [];
    const { subscription, updates, errors } = listen(await entraRedisCredentials(credential, (e) => reported.push(e)));
    disposables.push((await subscription)[1]);
    credential.failNext = 2;
    await waitFor(() => updates.length >= 1, 5_000);
    expect(updates[0]?.username).toBe('oid-2');
    expect(errors).toEqual([]);
    expect(reported.map((e) => e.message)).toEqual([
      expect.stringMatching(/token refresh failed, retrying/),
      expect.stringMatching(/token refresh failed, retrying/),
    ]);
  });

  it('fails the first connection when no token can be had', async () => {
    const credential = new FakeCredential(['oid-1'], 60_000);
    credential.failNext = 1;
    await expect(listen(await entraRedisCredentials(credential)).subscription).rejects.toThrow(/identity endpoint unavailable/);
  });
});

describe('REDIS_AUTH', () => {
  const base = { COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/', JWT_SIGNING_KEY: '{"kty":"OKP"}', ServiceBusConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net' };

  it('defaults to none and accepts entra', () => {
    expect(loadConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379' }).redis.auth).toBe('none');
    expect(loadConfig({ ...base, REDIS_URL: 'rediss://amr.redis.azure.net:10000', REDIS_AUTH: 'entra' }).redis.auth).toBe('entra');
  });

  it('refuses other values, and a password in the URL with entra', () => {
    expect(() => loadConfig({ ...base, REDIS_URL: 'redis://x:6379', REDIS_AUTH: 'key' })).toThrow(/REDIS_AUTH/);
    const entraWithPassword = () => loadConfig({ ...base, REDIS_URL: 'rediss://:secret@amr:10000', REDIS_AUTH: 'entra' });
    expect(entraWithPassword).toThrow(/REDIS_AUTH is "entra", so REDIS_URL must not carry credentials/);
    expect(entraWithPassword).not.toThrow(/secret/);
  });
});
