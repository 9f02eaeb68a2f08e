/**
 * Every setting the app reads, validated once at cold start. No other module reads process.env.
 * A missing or malformed setting stops the app with a message naming each one.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { resolveAiTasks, type AiTaskCatalog } from '../core/ai-tasks.js';
import type { RateLimit } from '../core/ports.js';
import { parseSchedule } from './schedule.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A rate limit written "max/windowSeconds", e.g. "10/900" for ten per fifteen minutes. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .regex(/^\d+\/\d+$/, 'must look like "10/900" (max events / window in seconds)')
    .default(fallback)
    .transform((text) => {
      const [max = 0, windowSeconds = 0] = text.split('/').map(Number);
      return { max, windowSeconds };
    })
    .refine((l) => l.max >= 1 && l.windowSeconds >= 1, 'needs a max and a window of at least 1');

/** NCRONTAB: six fields, second to day-of-week, read by the same parser the local host runs timers with. */
const schedule = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((text, ctx) => {
      try {
        parseSchedule(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    });

/**
 * Timer schedules are bound by setting name in the triggers, so the Functions host needs them as
 * real app settings: these defaults are also what the local launcher and bicep set.
 */
export const SCHEDULE_DEFAULTS = {
  ACTIVITY_SYNC_SCHEDULE: '*/30 * * * * *',
  PRESENCE_SWEEP_SCHEDULE: '0 * * * * *',
  EVENT_RELAY_SCHEDULE: '*/15 * * * * *',
} as const;

/** Game-server clients: JSON [{"id": "...", "secretHash": "sha256:..."}]. */
export const serviceClients = z
  .string()
  .default('[]')
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: [{"id": "...", "secretHash": "sha256:..."}]' });
      return z.NEVER;
    }
  })
  .pipe(
    z.array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'ids are 1-64 characters of letters, digits, "_", "." or "-"'),
        secretHash: z.string().regex(/^sha256:[A-Za-z0-9_-]{43}$/, 'must be "sha256:" + the base64url SHA-256 of the secret'),
      }),
    ),
  );
const seconds = (min: number, max: number, fallback: number) => int(min, max).default(fallback);

/**
 * The settings, by their app-setting names. `.describe()` marks the ones only a developer machine
 * uses ('local-only': bicep must not set them), secrets (read from Key Vault in Azure, so bicep
 * must not set them either) and the optional ones Azure needs all the same ('azure-required');
 * bicep must also set everything without a default. test/unit/deployment.test.ts
 * checks bicep/ against this list.
 */
export const SETTINGS = {
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

  /** The Service Bus topic of user events; triggers bind to it as %USER_EVENTS_TOPIC%. */
  USER_EVENTS_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$/, 'must be a Service Bus topic name')
    .default('user-events')
    .describe('azure-required'),

  /**
   * Private key that signs access tokens: a JWK (OKP Ed25519 or EC P-256) or a PKCS#8 PEM. A
   * secret: with KEY_VAULT_URI it is read from Key Vault (jwt-signing-key) and this setting is ignored.
   */
  JWT_SIGNING_KEY: z.string().min(1).optional().describe('secret'),
  JWT_ISSUER: z.string().min(1).default('player-accounts'),
  JWT_AUDIENCE: z.string().min(1).default('player-accounts'),
  ACCESS_TOKEN_TTL_SECONDS: seconds(60, 86_400, 900),
  REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: seconds(300, 31_536_000, 2_592_000),
  REFRESH_TOKEN_IDLE_TTL_SECONDS: seconds(300, 31_536_000, 604_800),
  REFRESH_TOKEN_REUSE_GRACE_SECONDS: seconds(0, 300, 10),

  BCRYPT_COST: int(10, 15).default(12),
  /** Worker threads that hash passwords; defaults to the number of cores. */
  PASSWORD_HASH_WORKERS: int(1, 64).optional(),
  /** Hash jobs allowed to wait; past this, login answers 503 instead of queueing without bound. */
  PASSWORD_HASH_QUEUE_LIMIT: int(1, 100_000).default(512),

  LOGIN_ACCOUNT_LIMIT: rateLimit('10/900'),
  LOGIN_IP_LIMIT: rateLimit('100/900'),
  SIGNUP_IP_LIMIT: rateLimit('20/3600'),
  REFRESH_IP_LIMIT: rateLimit('600/900'),
  SERVICE_TOKEN_IP_LIMIT: rateLimit('60/60'),

  /** Service Bus: a connection string locally; the namespace (identity) in Azure. Same names as the trigger's connection. */
  ServiceBusConnection: z.string().min(1).optional().describe('local-only'),
  ServiceBusConnection__fullyQualifiedNamespace: z.string().min(1).optional().describe('azure-required'),
  /** How long a request waits for Service Bus before leaving its events to the relay. */
  EVENT_PUBLISH_TIMEOUT_MS: int(100, 30_000).default(2_000),
  EVENT_RELAY_SCHEDULE: schedule(SCHEDULE_DEFAULTS.EVENT_RELAY_SCHEDULE),

  PRESENCE_TIMEOUT_SECONDS: int(1, 86_400).default(300),
  PRESENCE_SWEEP_SCHEDULE: schedule(SCHEDULE_DEFAULTS.PRESENCE_SWEEP_SCHEDULE),

  ACTIVITY_SYNC_SCHEDULE: schedule(SCHEDULE_DEFAULTS.ACTIVITY_SYNC_SCHEDULE),
  /** Most entries one sync run moves, so it ends well inside the timer period. */
  ACTIVITY_SYNC_MAX_ITEMS: int(1, 10_000_000).default(100_000),
  ACTIVITY_SYNC_BATCH: int(1, 10_000).default(5_000),
  ACTIVITY_SYNC_TIME_BUDGET_SECONDS: int(1, 600).default(25),
  /** Past this backlog, track-activity answers 503 instead of growing Redis without bound. */
  ACTIVITY_BUFFER_MAX: int(1_000, 100_000_000).default(2_000_000),

  /** A secret (Key Vault: game-server-clients); validated here when it comes from the settings. */
  GAME_SERVER_CLIENTS: serviceClients.describe('secret'),
  /** One-time secret that makes its presenter the first admin (Key Vault: admin-bootstrap-token). */
  ADMIN_BOOTSTRAP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional().describe('secret'),
  // Gameplay AI and secrets
  /** The Key Vault secrets are read from (https://NAME.vault.azure.net/); unset: from these settings. */
  KEY_VAULT_URI: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional().describe('azure-required'),
  /** How long a secret read from Key Vault is used before it must be read again. */
  SECRET_CACHE_SECONDS: seconds(10, 86_400, 300),
  /** A refused secret (a rotated key) is re-read from the vault at most once per this interval. */
  SECRET_REREAD_MIN_INTERVAL_SECONDS: seconds(1, 3_600, 30),
  /** The AI provider's API key; in Azure it lives in Key Vault as openai-api-key. */
  OPENAI_API_KEY: z.string().min(1).optional().describe('secret'),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('https://api.openai.com/v1'),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** Budget of one AI call, retries included. */
  OPENAI_TIMEOUT_SECONDS: seconds(1, 120, 20),
  OPENAI_MAX_RETRIES: int(0, 3).default(1),
  /** JSON changing, removing (null) or adding gameplay AI tasks; see the README. */
  AI_TASKS: z
    .string()
    .optional()
    .transform((json, ctx) => {
      const result = resolveAiTasks(json);
      if ('tasks' in result) return result.tasks;
      for (const message of result.problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }),
  AI_ALLOW_PLAYERS: z.stringbool().default(false),
  AI_RATE_LIMIT_PER_USER: int(1, 1_000_000).default(20),
  AI_RATE_LIMIT_PER_CALLER: int(1, 1_000_000).default(600),
  AI_RATE_LIMIT_WINDOW_SECONDS: seconds(1, 86_400, 60),
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
} as const;

/** Secrets that may come from the settings of these names when no Key Vault is configured. */
export const SECRET_SETTING_NAMES = ['OPENAI_API_KEY', 'JWT_SIGNING_KEY', 'GAME_SERVER_CLIENTS', 'ADMIN_BOOTSTRAP_TOKEN'] as const;

const settingsSchema = z.object(SETTINGS);

/** Rules across settings, checked alongside the per-setting ones so every problem is named at once. */
function crossSettingProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env['JWT_SIGNING_KEY'] === undefined && env['KEY_VAULT_URI'] === undefined) {
    problems.push('JWT_SIGNING_KEY is missing (or set KEY_VAULT_URI to read it from Key Vault as jwt-signing-key)');
  }
  if (env['ServiceBusConnection'] === undefined && env['ServiceBusConnection__fullyQualifiedNamespace'] === undefined) {
    problems.push('ServiceBusConnection__fullyQualifiedNamespace is missing (or set ServiceBusConnection to a connection string)');
  }
  // With Entra ID the password is a token fetched at run time; one in the URL would be ignored.
  // Reported against REDIS_AUTH so the message does not echo the URL and its password.
  if (env['REDIS_AUTH'] === 'entra' && /^rediss?:\/\/[^/]*@/.test(env['REDIS_URL'] ?? '')) {
    problems.push('REDIS_AUTH is "entra", so REDIS_URL must not carry credentials');
  }
  return problems;
}
export type Settings = z.infer<typeof settingsSchema>;

export interface AppConfig {
  cosmos: { endpoint: string; key: string | undefined; database: string };
  azureClientId: string | undefined;
  redis: { url: string; keyPrefix: string; auth: 'none' | 'entra' };
  jwt: {
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
  };
  refreshTokens: { absoluteTtlSeconds: number; idleTtlSeconds: number; reuseGraceSeconds: number };
  passwords: { bcryptCost: number; workers: number; queueLimit: number };
  limits: Record<'loginPerAccount' | 'loginPerIp' | 'signUpPerIp' | 'refreshPerIp' | 'serviceTokenPerIp', { max: number; windowSeconds: number }>;
  serviceBus: { connectionString: string | undefined; fullyQualifiedNamespace: string | undefined; topic: string };
  events: { publishTimeoutMs: number };
  presence: { timeoutSeconds: number };
  activity: { syncMaxItems: number; syncBatch: number; syncTimeBudgetMs: number; bufferMax: number };

  // Gameplay AI and secrets
  secrets: {
    keyVaultUri: string | undefined;
    cacheSeconds: number;
    rereadMinIntervalSeconds: number;
    settings: Record<(typeof SECRET_SETTING_NAMES)[number], string | undefined>;
  };
  ai: {
    baseUrl: string;
    model: string;
    timeoutSeconds: number;
    maxRetries: number;
    tasks: AiTaskCatalog;
    allowPlayers: boolean;
    rateLimits: { perUser: RateLimit; perCaller: RateLimit };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Settings whose values must never be echoed in an error message. */
const SECRET_SETTINGS = new Set(['COSMOS_KEY', 'JWT_SIGNING_KEY', 'ADMIN_BOOTSTRAP_TOKEN', 'GAME_SERVER_CLIENTS', 'ServiceBusConnection', 'OPENAI_API_KEY']);
/** Settings too long to echo usefully; their messages say where the problem is. */
const UNECHOED_SETTINGS = new Set(['AI_TASKS']);

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? '(settings)');
  if (issue.code === 'invalid_type' && env[name] === undefined) return `${name} is missing`;
  const where = name + issue.path.slice(1).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const shown = SECRET_SETTINGS.has(name) || UNECHOED_SETTINGS.has(name) || env[name] === undefined ? '' : ` (got "${env[name]}")`;
  return `${where} ${issue.message.replace(/^Invalid input: /, '')}${shown}`;
}

export function loadConfig(rawEnv: Record<string, string | undefined>): AppConfig {
  // local.settings.json templates leave unused settings as "": treat them as not set.
  const env = Object.fromEntries(
    Object.keys(SETTINGS).map((name) => [name, rawEnv[name] === '' ? undefined : rawEnv[name]]),
  );
  const parsed = settingsSchema.safeParse(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(issue, env))), ...crossSettingProblems(env)];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const s = parsed.data;
  return {
    cosmos: { endpoint: s.COSMOS_ENDPOINT, key: s.COSMOS_KEY, database: s.COSMOS_DATABASE },
    azureClientId: s.AZURE_CLIENT_ID,
    redis: { url: s.REDIS_URL, keyPrefix: s.REDIS_KEY_PREFIX, auth: s.REDIS_AUTH },
    jwt: {
      issuer: s.JWT_ISSUER,
      audience: s.JWT_AUDIENCE,
      accessTokenTtlSeconds: s.ACCESS_TOKEN_TTL_SECONDS,
    },
    refreshTokens: {
      absoluteTtlSeconds: s.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS,
      idleTtlSeconds: s.REFRESH_TOKEN_IDLE_TTL_SECONDS,
      reuseGraceSeconds: s.REFRESH_TOKEN_REUSE_GRACE_SECONDS,
    },
    passwords: {
      bcryptCost: s.BCRYPT_COST,
      workers: s.PASSWORD_HASH_WORKERS ?? availableParallelism(),
      queueLimit: s.PASSWORD_HASH_QUEUE_LIMIT,
    },
    limits: {
      loginPerAccount: s.LOGIN_ACCOUNT_LIMIT,
      loginPerIp: s.LOGIN_IP_LIMIT,
      signUpPerIp: s.SIGNUP_IP_LIMIT,
      refreshPerIp: s.REFRESH_IP_LIMIT,
      serviceTokenPerIp: s.SERVICE_TOKEN_IP_LIMIT,
    },
    serviceBus: {
      connectionString: s.ServiceBusConnection,
      fullyQualifiedNamespace: s.ServiceBusConnection__fullyQualifiedNamespace,
      topic: s.USER_EVENTS_TOPIC,
    },
    events: { publishTimeoutMs: s.EVENT_PUBLISH_TIMEOUT_MS },
    presence: { timeoutSeconds: s.PRESENCE_TIMEOUT_SECONDS },
    activity: {
      syncMaxItems: s.ACTIVITY_SYNC_MAX_ITEMS,
      syncBatch: s.ACTIVITY_SYNC_BATCH,
      syncTimeBudgetMs: s.ACTIVITY_SYNC_TIME_BUDGET_SECONDS * 1000,
      bufferMax: s.ACTIVITY_BUFFER_MAX,
    },
    // Gameplay AI and secrets
    secrets: {
      keyVaultUri: s.KEY_VAULT_URI,
      cacheSeconds: s.SECRET_CACHE_SECONDS,
      rereadMinIntervalSeconds: s.SECRET_REREAD_MIN_INTERVAL_SECONDS,
      // The raw text: secrets are parsed where they are used, whichever source they come from.
      settings: Object.fromEntries(SECRET_SETTING_NAMES.map((name) => [name, env[name]])) as AppConfig['secrets']['settings'],
    },
    ai: {
      baseUrl: s.OPENAI_BASE_URL,
      model: s.OPENAI_MODEL,
      timeoutSeconds: s.OPENAI_TIMEOUT_SECONDS,
      maxRetries: s.OPENAI_MAX_RETRIES,
      tasks: s.AI_TASKS,
      allowPlayers: s.AI_ALLOW_PLAYERS,
      rateLimits: {
        perUser: { name: 'ai-user', max: s.AI_RATE_LIMIT_PER_USER, windowSeconds: s.AI_RATE_LIMIT_WINDOW_SECONDS },
        perCaller: { name: 'ai-caller', max: s.AI_RATE_LIMIT_PER_CALLER, windowSeconds: s.AI_RATE_LIMIT_WINDOW_SECONDS },
      },
    },
  };
}

let cached: AppConfig | undefined;

/** The config of this process, read from the environment on first use. */
export function getConfig(): AppConfig {
  cached ??= loadConfig(process.env);
  return cached;
}
