/** The secret cache's concurrency and back-off rules with a scripted source, the settings provider, and the name mapping. */
import { describe, expect, it } from 'vitest';
import { CachedSecretProvider, type SecretSource } from '../../functions/adapters/keyvault/cached-secrets.js';
import { keyVaultSecretName } from '../../functions/adapters/keyvault/secret-names.js';
import { SettingsSecretProvider } from '../../functions/adapters/keyvault/settings-secrets.js';

/** Each read waits for the test to settle it, so overlapping callers can be observed. */
class ScriptedSource implements SecretSource {
  readonly description = 'scripted source';
  readonly pending: { resolve: (value: string | undefined) => void; reject: (error: Error) => void }[] = [];
  reads = 0;
  read(): Promise<string | undefined> {
    this.reads += 1;
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  settle(value: string | Error): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no read pending');
    if (value instanceof Error) next.reject(value);
    else next.resolve(value);
  }
}

function setup() {
  const source = new ScriptedSource();
  const clock = { now: 1_000_000 };
  const logs: string[] = [];
  const provider = new CachedSecretProvider(source, { ttlMs: 60_000, rereadIntervalMs: 10_000, now: () => clock.now, log: (l) => logs.push(l) });
  return { source, clock, logs, provider };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('CachedSecretProvider', () => {
  it('makes one read for many concurrent first callers', async () => {
    const { source, provider } = setup();
    const all = Promise.all([provider.get('K'), provider.get('K'), provider.get('K')]);
    await tick();
    expect(source.reads).toBe(1);
    source.settle('v1');
    expect(await all).toEqual(['v1', 'v1', 'v1']);
  });

  it('after a failed read, answers at once for a few seconds instead of hammering the source', async () => {
    const { source, clock, provider, logs } = setup();
    const first = provider.get('K');
    await tick();
    source.settle(new Error('HTTP 503 ServiceUnavailable'));
    await expect(first).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 });
    await expect(provider.get('K')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(source.reads).toBe(1);
    expect(logs).toEqual(['secrets: read of K from scripted source failed (HTTP 503 ServiceUnavailable); no usable value']);

    clock.now += 5_000;
    const retry = provider.get('K');
    await tick();
    source.settle('v1');
    expect(await retry).toBe('v1');
    expect(source.reads).toBe(2);
  });

  it('does not start a second background refresh while one runs, nor right after one failed', async () => {
    const { source, clock, provider } = setup();
    const first = provider.get('K');
    await tick();
    source.settle('v1');
    await first;
    clock.now += 50_000;
    expect(await provider.get('K')).toBe('v1');
    expect(await provider.get('K')).toBe('v1');
    expect(source.reads).toBe(2);
    source.settle(new Error('HTTP 500'));
    await tick();
    expect(await provider.get('K')).toBe('v1');
    expect(source.reads).toBe(2);
    clock.now += 5_000;
    expect(await provider.get('K')).toBe('v1');
    expect(source.reads).toBe(3);
    source.settle('v2');
    await tick();
    expect(await provider.get('K')).toBe('v2');
  });

  it('hands a refused value\'s replacement to callers that report it after the re-read', async () => {
    const { source, provider } = setup();
    const first = provider.get('K');
    await tick();
    source.settle('old');
    await first;
    const a = provider.rejected('K', 'old');
    await tick();
    const b = provider.rejected('K', 'old');
    source.settle('new');
    expect([await a, await b]).toEqual(['new', 'new']);
    expect(await provider.rejected('K', 'old')).toBe('new');
    expect(source.reads).toBe(2);
  });
});

describe('SettingsSecretProvider', () => {
  it('serves the configured values, the same one after a refusal, and refuses undeclared names', async () => {
    const provider = new SettingsSecretProvider({ OPENAI_API_KEY: 'sk-local', OTHER: undefined });
    expect(await provider.get('OPENAI_API_KEY')).toBe('sk-local');
    expect(await provider.get('OTHER')).toBeUndefined();
    expect(await provider.rejected('OPENAI_API_KEY')).toBe('sk-local');
    await expect(provider.get('JWT_SIGNING_KEY')).rejects.toThrow(/JWT_SIGNING_KEY is not a secret setting: add it to SECRET_SETTING_NAMES/);
  });
});

describe('keyVaultSecretName', () => {
  it('lower-cases app-setting names and turns underscores into dashes', () => {
    expect(keyVaultSecretName('OPENAI_API_KEY')).toBe('openai-api-key');
    expect(keyVaultSecretName('JWT_SIGNING_KEY')).toBe('jwt-signing-key');
    expect(keyVaultSecretName('GameServers__eu1')).toBe('gameservers--eu1');
    expect(() => keyVaultSecretName('openai-api-key')).toThrow(/not a secret name/);
    expect(() => keyVaultSecretName('')).toThrow(/not a secret name/);
  });
});
