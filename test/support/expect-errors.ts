/** Assertions about failures, shared by the tests. */
import { expect } from 'vitest';
import { DomainError } from '../../functions/core/kernel/errors.js';
import { ConfigError, loadConfig } from '../../functions/platform/config.js';

/** Awaits a promise that must reject with a DomainError, and returns the error for more checks. */
export async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** The settings every config test starts from: the least the app needs. */
export const MINIMAL_SETTINGS = {
  COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
  REDIS_URL: 'rediss://cache.example:6380',
  JWT_SIGNING_KEY: '{"kty":"OKP"}',
  ServiceBusConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net',
};

/** The problems loadConfig names for these settings (on top of MINIMAL_SETTINGS unless `bare`). */
export function configProblems(env: Record<string, string | undefined>, bare = false): string[] {
  try {
    loadConfig(bare ? env : { ...MINIMAL_SETTINGS, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}
