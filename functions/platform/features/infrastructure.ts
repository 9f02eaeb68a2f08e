/**
 * What every feature shares: Cosmos DB, Redis, the secret provider and the managed identity they
 * sign in with. Settings and wiring for each, built once per process.
 */
import { z } from 'zod';
import { createCosmos, type CosmosHandle } from '../../adapters/cosmos/client.js';
import { azureCredential } from '../../adapters/identity.js';
import { createSecretProvider } from '../../adapters/keyvault/secret-provider.js';
import { connectRedis, entraRedisCredentials, type RedisClient, type RedisCredentials } from '../../adapters/redis/client.js';
import { RedisCounters } from '../../adapters/redis/metrics.js';
import { RedisRateLimiter } from '../../adapters/redis/rate-limiter.js';
import { isDependencyUnavailable } from '../../adapters/unavailable.js';
import { systemClock, type Clock } from '../../core/kernel/clock.js';
import type { HealthCheck } from '../../core/kernel/health.js';
import type { RateLimiter } from '../../core/kernel/rate-limits.js';
import type { SecretProvider } from '../../core/kernel/secrets.js';
import { featureSettings, seconds } from '../settings-kit.js';
import { randomUUID } from 'node:crypto';
import { once } from '../../core/kernel/once.js';

/** Secrets that may come from the settings of these names when no Key Vault is configured. */
export const SECRET_SETTING_NAMES = [
  'OPENAI_API_KEY',
  'JWT_SIGNING_KEY',
  'GAME_SERVER_CLIENTS',
  'ADMIN_BOOTSTRAP_TOKEN',
  'STEAM_PUBLISHER_KEY',
  'DEVICE_ID_HASH_KEY',
] as const;

export const infrastructureSettings = featureSettings({
  shape: {
    COSMOS_ENDPOINT: z.url(),
    COSMOS_KEY: z.string().min(1).optional().describe('local-only'),
    COSMOS_DATABASE: z.string().min(1).default('player-accounts'),
    /** Client id of the user-assigned managed identity every Azure client authenticates as. */
    AZURE_CLIENT_ID: z.string().min(1).optional().describe('azure-required'),

    REDIS_URL: z.url().refine((u) => /^rediss?:\/\//.test(u), 'must start with redis:// or rediss://'),
    /** Namespaces every key, so several deployments (or test runs) can share one Redis. */
    REDIS_KEY_PREFIX: z.string().max(64).default('pa:'),
    /** "entra": authenticate with a Microsoft Entra token of the managed identity (Azure Managed Redis). */
    REDIS_AUTH: z.enum(['none', 'entra']).default('none').describe('azure-required'),

    /** The Key Vault secrets are read from (https://NAME.vault.azure.net/); unset: from these settings. */
    KEY_VAULT_URI: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional().describe('azure-required'),
    /** How long a secret read from Key Vault is used before it must be read again. */
    SECRET_CACHE_SECONDS: seconds(10, 86_400, 300),
    /** A refused secret (a rotated key) is re-read from the vault at most once per this interval. */
    SECRET_REREAD_MIN_INTERVAL_SECONDS: seconds(1, 3_600, 30),

    /**
     * Browser origins allowed to call the API, comma-separated, or "*"; empty: none. Applied by the
     * platform (bicep's siteConfig.cors, the local host), not by the app: validated here all the same.
     */
    CORS_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((text, ctx) => {
        const origins = text.split(',').map((o) => o.trim()).filter((o) => o !== '');
        if (origins.includes('*') && origins.length > 1) ctx.addIssue({ code: 'custom', message: 'is either "*" alone or a list of origins' });
        for (const origin of origins.filter((o) => o !== '*')) {
          const url = URL.canParse(origin) ? new URL(origin) : null;
          if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin.replace(/\/$/, '').toLowerCase()) {
            ctx.addIssue({ code: 'custom', message: `has "${origin}", which is not an origin like https://game.example.com (scheme, host, optional port; no path)` });
          }
        }
        return origins;
      })
      .describe('azure-required'),
  },
  read: (s, env) => ({
    cosmos: { endpoint: s.COSMOS_ENDPOINT, key: s.COSMOS_KEY, database: s.COSMOS_DATABASE },
    azureClientId: s.AZURE_CLIENT_ID,
    redis: { url: s.REDIS_URL, keyPrefix: s.REDIS_KEY_PREFIX, auth: s.REDIS_AUTH },
    secrets: {
      keyVaultUri: s.KEY_VAULT_URI,
      cacheSeconds: s.SECRET_CACHE_SECONDS,
      rereadMinIntervalSeconds: s.SECRET_REREAD_MIN_INTERVAL_SECONDS,
      // The raw text: secrets are parsed where they are used, whichever source they come from.
      settings: Object.fromEntries(SECRET_SETTING_NAMES.map((name) => [name, env[name]])) as Record<(typeof SECRET_SETTING_NAMES)[number], string | undefined>,
    },
  }),
  problems(env) {
    // With Entra ID the password is a token fetched at run time; one in the URL would be ignored.
    // Reported against REDIS_AUTH so the message does not echo the URL and its password.
    if (env['REDIS_AUTH'] === 'entra' && /^rediss?:\/\/[^/]*@/.test(env['REDIS_URL'] ?? '')) {
      return ['REDIS_AUTH is "entra", so REDIS_URL must not carry credentials'];
    }
    return [];
  },
  secret: ['COSMOS_KEY'],
});

export type InfrastructureConfig = ReturnType<typeof infrastructureSettings.read>;

export interface Infrastructure {
  cosmos: CosmosHandle;
  redis: () => Promise<RedisClient>;
  keyPrefix: string;
  /** Every secret by its app-setting name: Key Vault in Azure, the settings locally. */
  secrets: SecretProvider;
  rateLimiter: RateLimiter;
  /** Operational counters (GET /api/health/metrics), in Redis so every instance adds to the same ones. */
  counters: RedisCounters;
  clock: Clock;
  newId: () => string;
  azureClientId: string | undefined;
  healthChecks: HealthCheck[];
  /** Key Vault, when secrets come from one: checked by readiness (GET /api/health/ready). */
  secretsCheck: HealthCheck | null;
  /** The SDKs' ways of saying "down or too slow right now": the HTTP edge answers 503 for them. */
  isDependencyUnavailable: (error: unknown) => boolean;
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
  credentials: ((log: (error: Error) => void) => Promise<RedisCredentials>) | undefined,
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
  // One credentials provider for the process, made with the first connection: its token is shared by reconnects.
  const provider = credentials ? once(() => credentials(logError)) : undefined;
  const connect = async () => connectRedis(url, logError, await provider?.());
  return {
    get() {
      connection ??= connect().catch((error: unknown) => {
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

export async function wireInfrastructure(config: InfrastructureConfig): Promise<Infrastructure> {
  const cosmos = await createCosmos(config.cosmos, config.azureClientId);
  const redis = lazyRedis(
    config.redis.url,
    config.redis.auth === 'entra' ? async (log) => entraRedisCredentials(await azureCredential(config.azureClientId), log) : undefined,
  );
  // Which source secrets come from is decided here, once, from the settings, and said once.
  const secrets = createSecretProvider(config.secrets, config.azureClientId);
  console.info(secrets.description);
  const pingVault = secrets.ping;
  return {
    cosmos,
    redis: redis.get,
    keyPrefix: config.redis.keyPrefix,
    secrets: secrets.provider,
    rateLimiter: new RedisRateLimiter(redis.get, config.redis.keyPrefix),
    counters: new RedisCounters(redis.get, config.redis.keyPrefix),
    clock: systemClock,
    newId: () => randomUUID(),
    azureClientId: config.azureClientId,
    healthChecks: [
      { name: 'cosmos', check: () => withTimeout(cosmos.database.read().then(() => undefined), HEALTH_TIMEOUT_MS, 'Cosmos DB') },
      {
        name: 'redis',
        check: () => withTimeout(redis.get().then((client) => client.ping()).then(() => undefined), HEALTH_TIMEOUT_MS, 'Redis'),
      },
    ],
    secretsCheck: pingVault ? { name: 'keyVault', check: () => withTimeout(pingVault(), HEALTH_TIMEOUT_MS, 'Key Vault') } : null,
    isDependencyUnavailable,
    async close() {
      await redis.close();
      cosmos.client.dispose();
    },
  };
}

/**
 * A secret read through the provider and parsed, re-parsed only when its text changes. A value
 * that does not parse fails loudly, naming the secret and never showing it.
 */
export function parsedSecret<T>(provider: SecretProvider, name: string, parse: (text: string) => T, fallback: T): () => Promise<T> {
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
