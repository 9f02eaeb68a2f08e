/**
 * Wiring: builds every adapter once per process from the config and hands the use cases their
 * ports. Triggers call getServices(); nothing else constructs an SDK client.
 */
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from '../core/deps.js';
import { systemClock, type HealthCheck } from '../core/ports.js';
import { createCosmos, type CosmosHandle } from '../adapters/cosmos/client.js';
import { CosmosSessionRepository } from '../adapters/cosmos/sessions.js';
import { CosmosUserRepository } from '../adapters/cosmos/users.js';
import { JoseAccessTokens, parseSigningKey } from '../adapters/jwt/access-tokens.js';
import { BcryptPool } from '../adapters/passwords/bcrypt-pool.js';
import { azureCredential } from '../adapters/identity.js';
import { connectRedis, entraRedisCredentials, type RedisClient, type RedisCredentials } from '../adapters/redis/client.js';
import { RedisRateLimiter } from '../adapters/redis/rate-limiter.js';
import { RedisTokenRevocations } from '../adapters/redis/revocations.js';
import { getConfig, type AppConfig } from './config.js';

export interface Services {
  config: AppConfig;
  cosmos: CosmosHandle;
  redis: () => Promise<RedisClient>;
  accessTokens: JoseAccessTokens;
  passwords: BcryptPool;
  /** The use cases' ports; also what authenticate() needs (accessTokens, revocations). */
  core: CoreDeps;
  healthChecks: HealthCheck[];
  close(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One Redis connection per process, retried on the next call if connecting failed. */
function lazyRedis(
  url: string,
  credentials: ((log: (error: Error) => void) => RedisCredentials) | undefined,
): { get: () => Promise<RedisClient>; close: () => Promise<void> } {
  let connection: Promise<RedisClient> | undefined;
  let lastLogged = 0;
  const logError = (error: Error) => {
    // node-redis reports every reconnect attempt; one line every 10 s is enough to diagnose.
    if (Date.now() - lastLogged > 10_000) {
      lastLogged = Date.now();
      console.warn(`redis: ${error.message}`);
    }
  };
  // One credentials provider for the process: its token is shared by reconnects.
  const provider = credentials?.(logError);
  return {
    get() {
      connection ??= connectRedis(url, logError, provider).catch((error: unknown) => {
        connection = undefined;
        throw error;
      });
      return connection;
    },
    async close() {
      const client = await connection?.catch(() => undefined);
      connection = undefined;
      // A graceful QUIT would wait for a reconnect that may never come.
      if (client?.isReady) await client.close();
      else if (client?.isOpen) client.destroy();
    },
  };
}

export async function createServices(config: AppConfig): Promise<Services> {
  const cosmos = createCosmos(config.cosmos, config.azureClientId);
  const redis = lazyRedis(
    config.redis.url,
    config.redis.auth === 'entra' ? (log) => entraRedisCredentials(azureCredential(config.azureClientId), log) : undefined,
  );
  const newId = () => randomUUID();
  const accessTokens = new JoseAccessTokens(await parseSigningKey(config.jwt.signingKey), {
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    ttlSeconds: config.jwt.accessTokenTtlSeconds,
    now: systemClock.now,
    newId,
  });
  const passwords = new BcryptPool({
    cost: config.passwords.bcryptCost,
    workers: config.passwords.workers,
    queueLimit: config.passwords.queueLimit,
  });
  const sessionPolicy = {
    absoluteTtlSeconds: config.refreshTokens.absoluteTtlSeconds,
    idleTtlSeconds: config.refreshTokens.idleTtlSeconds,
    reuseGraceSeconds: config.refreshTokens.reuseGraceSeconds,
  };
  const core: CoreDeps = {
    users: new CosmosUserRepository(cosmos),
    sessions: new CosmosSessionRepository(cosmos, sessionPolicy.absoluteTtlSeconds + 86_400),
    hasher: passwords,
    tokens: accessTokens,
    revocations: new RedisTokenRevocations(redis.get, config.redis.keyPrefix, config.jwt.accessTokenTtlSeconds, systemClock),
    rateLimiter: new RedisRateLimiter(redis.get, config.redis.keyPrefix),
    clock: systemClock,
    newId,
    sessionPolicy,
    limits: {
      loginPerAccount: { name: 'login-account', ...config.limits.loginPerAccount },
      loginPerIp: { name: 'login-ip', ...config.limits.loginPerIp },
      signUpPerIp: { name: 'signup-ip', ...config.limits.signUpPerIp },
      refreshPerIp: { name: 'refresh-ip', ...config.limits.refreshPerIp },
      serviceTokenPerIp: { name: 'service-token-ip', ...config.limits.serviceTokenPerIp },
    },
    serviceClients: config.serviceClients,
    adminBootstrapToken: config.adminBootstrapToken,
  };
  const healthChecks: HealthCheck[] = [
    { name: 'cosmos', check: () => withTimeout(cosmos.database.read().then(() => undefined), HEALTH_TIMEOUT_MS, 'Cosmos DB') },
    {
      name: 'redis',
      check: () =>
        withTimeout(
          redis.get().then((client) => client.ping()).then(() => undefined),
          HEALTH_TIMEOUT_MS,
          'Redis',
        ),
    },
  ];
  return {
    config,
    cosmos,
    redis: redis.get,
    accessTokens,
    passwords,
    core,
    healthChecks,
    async close() {
      await Promise.allSettled([redis.close(), passwords.close()]);
      cosmos.client.dispose();
    },
  };
}

let services: Promise<Services> | undefined;

/** The services of this process, built from the environment's config on first use. */
export function getServices(): Promise<Services> {
  services ??= createServices(getConfig());
  return services;
}

export async function closeServices(): Promise<void> {
  const current = await services?.catch(() => undefined);
  services = undefined;
  await current?.close();
}
