/**
 * The Key Vault secret provider with the real SecretClient against the local HTTPS stand-in:
 * the challenge flow, caching, background refresh, re-read on a refused key, a missing secret and
 * the vault down. The clock is the test's, so expiry is exact and nothing sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedSecretProvider } from '../../functions/adapters/keyvault/cached-secrets.js';
import { KeyVaultSecretSource } from '../../functions/adapters/keyvault/key-vault-source.js';
import { createSecretProvider } from '../../functions/adapters/keyvault/secret-provider.js';
import type { KeyVaultStandIn } from '../../infra/keyvault/server.js';
import { standInClientOptions, standInCredential, startTestKeyVault } from '../support/ai.js';
import { domainError } from '../support/expect-errors.js';
import { startFaultProxy } from '../support/fault-proxy.js';

let vault: KeyVaultStandIn;
beforeAll(async () => {
  vault = await startTestKeyVault();
});
afterAll(async () => {
  await vault?.stop();
});

const TTL = 300_000;
let secretCounter = 0;

/** A provider over the stand-in with its own clock and log, and a fresh secret name per test. */
function setup(options: { value?: string; rereadIntervalMs?: number } = {}) {
  secretCounter += 1;
  const setting = `GAME_KEY_${secretCounter}`;
  const vaultName = `game-key-${secretCounter}`;
  if (options.value !== undefined) vault.setSecret(vaultName, options.value);
  const clock = { now: Date.parse('2026-06-28T12:00:00Z') };
  const logs: string[] = [];
  const source = new KeyVaultSecretSource(vault.url, standInCredential(vault), standInClientOptions());
  const provider = new CachedSecretProvider(source, {
    ttlMs: TTL,
    rereadIntervalMs: options.rereadIntervalMs ?? 30_000,
    now: () => clock.now,
    log: (line) => logs.push(line),
  });
  return { setting, vaultName, clock, logs, provider, reads: () => vault.reads(vaultName) };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}


describe('Key Vault secret provider', () => {
  it('reads OPENAI_API_KEY as openai-api-key through the challenge flow', async () => {
    vault.setSecret('openai-api-key', 'sk-from-vault');
    const { provider } = createSecretProvider(
      { keyVaultUri: vault.url, cacheSeconds: 300, rereadMinIntervalSeconds: 30, settings: { OPENAI_API_KEY: 'sk-from-settings' } },
      undefined,
      // No disableChallengeResourceVerification here: a loopback vault turns it off by itself.
      { credential: standInCredential(vault), clientOptions: { tlsOptions: standInClientOptions().tlsOptions, retryOptions: { maxRetries: 0 } }, log: () => {} },
    );
    expect(await provider.get('OPENAI_API_KEY')).toBe('sk-from-vault');
    const paths = vault.requests.filter((r) => r.secret === 'openai-api-key').map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(paths).toEqual(['GET /secrets/openai-api-key/ 401', 'GET /secrets/openai-api-key/ 200']);
  });

  it('serves a cached value without asking the vault again', async () => {
    const { setting, provider, reads, clock } = setup({ value: 'v1' });
    expect(await provider.get(setting)).toBe('v1');
    clock.now += TTL * 0.5;
    expect(await provider.get(setting)).toBe('v1');
    expect(await provider.get(setting)).toBe('v1');
    expect(reads()).toBe(1);
  });

  it('refreshes in the background before expiry, serving the cached value meanwhile', async () => {
    const { setting, vaultName, provider, reads, clock } = setup({ value: 'v1' });
    await provider.get(setting);
    vault.setSecret(vaultName, 'v2');
    clock.now += TTL * 0.85;
    expect(await provider.get(setting)).toBe('v1');
    await until(() => reads() === 2, 'the background refresh');
    // The vault has the request; its answer reaches the cache a moment later (slow on a busy machine).
    let served = await provider.get(setting);
    for (let i = 0; i < 200 && served !== 'v2'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      served = await provider.get(setting);
    }
    expect(served).toBe('v2');
    // One refresh, however many callers came by while it ran.
    expect(reads()).toBe(2);
  });

  it('re-reads at once when the value is refused (rotation), once for many callers, then no more often than the interval', async () => {
    const { setting, vaultName, provider, reads, clock, logs } = setup({ value: 'key-1' });
    expect(await provider.get(setting)).toBe('key-1');
    vault.setSecret(vaultName, 'key-2');
    const answers = await Promise.all(Array.from({ length: 5 }, () => provider.rejected(setting, 'key-1')));
    expect(answers).toEqual(['key-2', 'key-2', 'key-2', 'key-2', 'key-2']);
    expect(reads()).toBe(2);
    expect(await provider.get(setting)).toBe('key-2');

    // key-2 refused as well, right away: the flood does not reach the vault.
    vault.setSecret(vaultName, 'key-3');
    expect(await provider.rejected(setting, 'key-2')).toBe('key-2');
    expect(reads()).toBe(2);
    clock.now += 30_000;
    expect(await provider.rejected(setting, 'key-2')).toBe('key-3');
    expect(reads()).toBe(3);
    expect(logs.join('\n')).not.toMatch(/key-\d/);
  });

  it('answers undefined for a missing secret and does not ask again for a while', async () => {
    const { setting, vaultName, provider, clock } = setup();
    const misses = () => vault.requests.filter((r) => r.secret === vaultName && r.status === 404).length;
    expect(await provider.get(setting)).toBeUndefined();
    expect(await provider.get(setting)).toBeUndefined();
    expect(misses()).toBe(1);
    vault.setSecret(vaultName, 'created-later');
    clock.now += 30_000;
    expect(await provider.get(setting)).toBe('created-later');
  });

  it('keeps serving the cached value while the vault is down, until it is stale; then a clear error', async () => {
    const { setting, provider, clock, logs } = setup({ value: 'v1' });
    await provider.get(setting);
    vault.setDown(true);
    try {
      clock.now += TTL * 0.9;
      expect(await provider.get(setting)).toBe('v1');
      await until(() => logs.length > 0, 'the failed refresh to be logged');
      expect(logs[0]).toMatch(new RegExp(`^secrets: refresh of ${setting} from Key Vault https://127\\.0\\.0\\.1:\\d+ failed \\(HTTP 503 ServiceUnavailable\\); serving the cached value until `));
      expect(await provider.get(setting)).toBe('v1');

      clock.now += TTL * 0.1;
      const error = await domainError(provider.get(setting));
      expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: expect.any(Number) });
      expect(error.message).not.toContain(setting);
    } finally {
      vault.setDown(false);
    }
  });

  it('with no value and the vault down, or unreachable, says so at once', async () => {
    const { setting, provider, logs } = setup({ value: 'never-seen' });
    vault.setDown(true);
    try {
      expect((await domainError(provider.get(setting))).code).toBe('SERVICE_UNAVAILABLE');
      expect(logs).toEqual([expect.stringMatching(/failed \(HTTP 503 ServiceUnavailable\); no usable value$/)]);
    } finally {
      vault.setDown(false);
    }
    const nowhere = new CachedSecretProvider(new KeyVaultSecretSource('https://127.0.0.1:1', standInCredential(vault), standInClientOptions()), {
      ttlMs: TTL,
      rereadIntervalMs: 30_000,
      log: () => {},
    });
    const started = Date.now();
    expect((await domainError(nowhere.get('OPENAI_API_KEY'))).code).toBe('SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('with the vault stalled (connections accepted, never answered), gives up within a bound, with the production retries', async () => {
    const proxy = await startFaultProxy(Number(new URL(vault.url).port));
    try {
      proxy.set('stall');
      const retries = { maxRetries: 2, retryDelayInMs: 300, maxRetryDelayInMs: 2_000 };
      const stalled = new CachedSecretProvider(
        new KeyVaultSecretSource(`https://127.0.0.1:${proxy.port}`, standInCredential(vault), { ...standInClientOptions(), retryOptions: retries }),
        { ttlMs: TTL, rereadIntervalMs: 30_000, log: () => {} },
      );
      const started = Date.now();
      expect((await domainError(stalled.get('OPENAI_API_KEY'))).code).toBe('SERVICE_UNAVAILABLE');
      // The read's 5 s timeout ends it (a timed-out read is not retried), inside the HTTP edge's 10 s budget.
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      await proxy.stop();
    }
  }, 30_000);
});
