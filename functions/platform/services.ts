/**
 * Wiring: builds every adapter once per process from the config and hands the use cases their
 * ports. Triggers call getServices(); nothing else constructs an SDK client.
 */
import { randomUUID } from 'node:crypto';
import type { AccountDeps } from '../core/accounts.js';
import { systemClock, type HealthCheck, type RateLimiter } from '../core/ports.js';
import { createCosmos, type CosmosHandle } from '../adapters/cosmos/client.js';
import { CosmosSessionRepository } from '../adapters/cosmos/sessions.js';
import { CosmosUserRepository } from '../adapters/cosmos/users.js';
import { JoseAccessTokens, parseSigningKey } from '../adapters/jwt/access-tokens.js';
import { BcryptPool } from '../adapters/passwords/bcrypt-pool.js';
import { connectRedis, type RedisClient } from '../adapters/redis/client.js';
import { RedisRateLimiter } from '../adapters/redis/rate-limiter.js';
import { getConfig, type AppConfig } from './config.js';
// Gameplay AI and secrets
import type { GameplayAiDeps } from '../core/gameplay-ai.js';
import type { SecretProvider } from '../core/ports.js';
import { createSecretProvider } from '../adapters/keyvault/secret-provider.js';
import { OpenAiCompletions } from '../adapters/openai/chat-completions.js';

export interface Services {
  config: AppConfig;
  cosmos: CosmosHandle;
  redis: () => Promise<RedisClient>;
  accessTokens: JoseAccessTokens;
  passwords: BcryptPool;
  rateLimiter: RateLimiter;
  accounts: AccountDeps;
  healthChecks: HealthCheck[];
  close(): Promise<void>;
  // Gameplay AI and secrets
  /** Every secret by its app-setting name: Key Vault in Azure, the settings locally. */
  secrets: SecretProvider;
  gameplayAi: GameplayAiDeps;
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
function lazyRedis(url: string): { get: () => Promise<RedisClient>; close: () => Promise<void> } {
  let connection: Promise<RedisClient> | undefined;
  let lastLogged = 0;
  const logError = (error: Error) => {
    // node-redis reports every reconnect attempt; one line every 10 s is enough to diagnose.
    if (Date.now() - lastLogged > 10_000) {
      lastLogged = Date.now();
      console.warn(`redis: ${error.message}`);
    }
  };
  return {
    get() {
      connection ??= connectRedis(url, logError).catch((error: unknown) => {
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
  const redis = lazyRedis(config.redis.url);
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
  const accounts: AccountDeps = {
    users: new CosmosUserRepository(cosmos),
    sessions: new CosmosSessionRepository(cosmos),
    hasher: passwords,
    tokens: accessTokens,
    clock: systemClock,
    newId,
    refreshAbsoluteLifetimeSeconds: config.refreshTokens.absoluteTtlSeconds,
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
  // Gameplay AI and secrets
  const secrets = createSecretProvider(config.secrets, config.azureClientId);
  // Which source is in force is decided here, once, from the settings, and said once.
  console.info(secrets.description);
  const gameplayAi: GameplayAiDeps = {
    ai: new OpenAiCompletions({
      baseUrl: config.ai.baseUrl,
      model: config.ai.model,
      timeoutMs: config.ai.timeoutSeconds * 1000,
      maxRetries: config.ai.maxRetries,
    }),
    secrets: secrets.provider,
    apiKeySecret: 'OPENAI_API_KEY',
    // Stateless over the shared connection: the same counters as services.rateLimiter.
    rateLimiter: new RedisRateLimiter(redis.get, config.redis.keyPrefix),
    limits: config.ai.rateLimits,
    tasks: config.ai.tasks,
    clock: systemClock,
    events: undefined, // events: wired by the events issue
    warn: (message, error) => console.warn(message, error),
  };

  return {
    config,
    cosmos,
    redis: redis.get,
    accessTokens,
    passwords,
    rateLimiter: new RedisRateLimiter(redis.get, config.redis.keyPrefix),
    accounts,
    healthChecks,
    secrets: secrets.provider,
    gameplayAi,
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
