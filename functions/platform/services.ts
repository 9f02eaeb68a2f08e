/**
 * Wiring: builds every adapter once per process from the config and hands the use cases their
 * ports. Triggers call getServices(); nothing else constructs an SDK client.
 */
import { randomUUID } from 'node:crypto';
import type { ActivityDeps } from '../core/activity/activity.js';
import type { SyncDeps } from '../core/activity/sync.js';
import type { AuditLog } from '../core/events/audit.js';
import type { AccountDeps } from '../core/accounts/deps.js';
import { OutboxEventSink } from '../core/events/events.js';
import { systemClock } from '../core/kernel/clock.js';
import type { HealthCheck } from '../core/kernel/health.js';
import type { PresenceDeps } from '../core/presence/presence.js';
import { CosmosActivityStore } from '../adapters/cosmos/activity.js';
import { CosmosAuditLog } from '../adapters/cosmos/audit.js';
import { createCosmos, type CosmosHandle } from '../adapters/cosmos/client.js';
import { CosmosEventOutbox } from '../adapters/cosmos/outbox.js';
import { CosmosStatsRepository } from '../adapters/cosmos/stats.js';
import { CosmosSessionRepository } from '../adapters/cosmos/sessions.js';
import { CosmosUserRepository } from '../adapters/cosmos/users.js';
import { JoseAccessTokens } from '../adapters/jwt/access-tokens.js';
import { BcryptPool } from '../adapters/passwords/bcrypt-pool.js';
import { azureCredential } from '../adapters/identity.js';
import { connectRedis, entraRedisCredentials, type RedisClient, type RedisCredentials } from '../adapters/redis/client.js';
import { RedisRateLimiter } from '../adapters/redis/rate-limiter.js';
import { RedisActivityBuffer } from '../adapters/redis/activity-buffer.js';
import { RedisPresenceStore } from '../adapters/redis/presence.js';
import { RedisTokenRevocations } from '../adapters/redis/revocations.js';
import { ServiceBusEventPublisher } from '../adapters/servicebus/publisher.js';
import { getConfig, serviceClients as serviceClientsSetting, type AppConfig } from './config.js';
// Gameplay AI and secrets
import type { GameplayAiDeps } from '../core/ai/gameplay-ai.js';
import type { SecretProvider } from '../core/kernel/secrets.js';
import { createSecretProvider } from '../adapters/keyvault/secret-provider.js';
import { OpenAiCompletions } from '../adapters/openai/chat-completions.js';

export interface Services {
  config: AppConfig;
  cosmos: CosmosHandle;
  redis: () => Promise<RedisClient>;
  accessTokens: JoseAccessTokens;
  passwords: BcryptPool;
  /** The use cases' ports; also what authenticate() needs (accessTokens, revocations). */
  core: AccountDeps;
  presence: PresenceDeps;
  activity: ActivityDeps;
  sync: SyncDeps;
  audit: AuditLog;
  events: OutboxEventSink;
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

/**
 * A secret read through the provider and parsed, re-parsed only when its text changes. A value
 * that does not parse fails loudly, naming the secret and never showing it.
 */
function parsedSecret<T>(provider: SecretProvider, name: string, parse: (text: string) => T, fallback: T): () => Promise<T> {
  let last: { text: string; value: T } | undefined;
  return async () => {
    const text = await provider.get(name);
    if (text === undefined) return fallback;
    if (last?.text !== text) {
      try {
        last = { text, value: parse(text) };
      } catch {
        throw new Error(`the secret ${name} is malformed (see the README for its format)`);
      }
    }
    return last.value;
  };
}

export async function createServices(config: AppConfig): Promise<Services> {
  const cosmos = createCosmos(config.cosmos, config.azureClientId);
  const redis = lazyRedis(
    config.redis.url,
    config.redis.auth === 'entra' ? (log) => entraRedisCredentials(azureCredential(config.azureClientId), log) : undefined,
  );
  const newId = () => randomUUID();
  // Which source secrets come from is decided here, once, from the settings, and said once.
  const secrets = createSecretProvider(config.secrets, config.azureClientId);
  console.info(secrets.description);
  const accessTokens = new JoseAccessTokens(() => secrets.provider.get('JWT_SIGNING_KEY'), {
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
  const publisher = new ServiceBusEventPublisher(config.serviceBus, config.azureClientId);
  const events = new OutboxEventSink(new CosmosEventOutbox(cosmos, systemClock.now), publisher, {
    publishTimeoutMs: config.events.publishTimeoutMs,
    onPublishFailure: (error, failed) =>
      console.warn(`events: ${failed.length} kept in the outbox for the relay (${error instanceof Error ? error.message : String(error)})`),
  });
  const users = new CosmosUserRepository(cosmos);
  const sessionPolicy = {
    absoluteTtlSeconds: config.refreshTokens.absoluteTtlSeconds,
    idleTtlSeconds: config.refreshTokens.idleTtlSeconds,
    reuseGraceSeconds: config.refreshTokens.reuseGraceSeconds,
  };
  const core: AccountDeps = {
    users,
    sessions: new CosmosSessionRepository(cosmos, sessionPolicy.absoluteTtlSeconds + 86_400),
    hasher: passwords,
    tokens: accessTokens,
    revocations: new RedisTokenRevocations(redis.get, config.redis.keyPrefix, config.jwt.accessTokenTtlSeconds, systemClock),
    rateLimiter: new RedisRateLimiter(redis.get, config.redis.keyPrefix),
    events,
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
    serviceClients: parsedSecret(secrets.provider, 'GAME_SERVER_CLIENTS', (text) => serviceClientsSetting.parse(text), []),
    adminBootstrapToken: () => secrets.provider.get('ADMIN_BOOTSTRAP_TOKEN'),
  };
  const presence: PresenceDeps = {
    presence: new RedisPresenceStore(redis.get, config.redis.keyPrefix),
    events,
    clock: systemClock,
    newId,
    async usernames(userIds) {
      const found = await Promise.all(userIds.map((id) => users.findById(id)));
      return new Map(found.filter((u) => u !== null).map((u) => [u.id, u.username]));
    },
  };
  const buffer = new RedisActivityBuffer(redis.get, config.redis.keyPrefix, config.activity.bufferMax);
  const store = new CosmosActivityStore(cosmos);
  const stats = new CosmosStatsRepository(cosmos);
  const activity: ActivityDeps = { ...presence, buffer, store, stats };
  const sync: SyncDeps = { buffer, store, stats, publisher, clock: systemClock, log: (line) => console.log(line) };
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
  // Gameplay AI
  const gameplayAi: GameplayAiDeps = {
    ai: new OpenAiCompletions({
      baseUrl: config.ai.baseUrl,
      model: config.ai.model,
      timeoutMs: config.ai.timeoutSeconds * 1000,
      maxRetries: config.ai.maxRetries,
    }),
    secrets: secrets.provider,
    apiKeySecret: 'OPENAI_API_KEY',
    rateLimiter: core.rateLimiter,
    limits: config.ai.rateLimits,
    tasks: config.ai.tasks,
    clock: systemClock,
    events,
    newId,
    warn: (message, error) => console.warn(message, error),
  };

  return {
    config,
    cosmos,
    redis: redis.get,
    accessTokens,
    passwords,
    core,
    presence,
    activity,
    sync,
    audit: new CosmosAuditLog(cosmos),
    events,
    healthChecks,
    secrets: secrets.provider,
    gameplayAi,
    async close() {
      await Promise.allSettled([redis.close(), passwords.close(), publisher.close()]);
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
