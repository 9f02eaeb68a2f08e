/**
 * Every setting the app reads, validated once at cold start. No other module reads process.env.
 * A missing or malformed setting stops the app with a message naming each one.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';

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

/** Game-server clients: JSON [{"id": "...", "secretHash": "sha256:..."}]. */
const serviceClients = z
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
 * uses ('local-only': bicep must not set them) and the optional ones Azure needs all the same
 * ('azure-required'); bicep must also set everything without a default. test/unit/deployment.test.ts
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

  /** Private key that signs access tokens: a JWK (OKP Ed25519 or EC P-256) or a PKCS#8 PEM. */
  JWT_SIGNING_KEY: z.string().min(1),
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

  GAME_SERVER_CLIENTS: serviceClients,
  /** One-time secret that makes its presenter the first admin (POST /api/admin/bootstrap). */
  ADMIN_BOOTSTRAP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
} as const;

const settingsSchema = z.object(SETTINGS).superRefine((s, ctx) => {
  // With Entra ID the password is a token fetched at run time; one in the URL would be ignored.
  if (s.REDIS_AUTH === 'entra' && /^rediss?:\/\/[^/]*@/.test(s.REDIS_URL)) {
    // Reported against REDIS_AUTH so the message does not echo the URL and its password.
    ctx.addIssue({ code: 'custom', path: ['REDIS_AUTH'], message: 'is "entra", so REDIS_URL must not carry credentials' });
  }
});
export type Settings = z.infer<typeof settingsSchema>;

export interface AppConfig {
  cosmos: { endpoint: string; key: string | undefined; database: string };
  azureClientId: string | undefined;
  redis: { url: string; keyPrefix: string; auth: 'none' | 'entra' };
  events: { userEventsTopic: string };
  jwt: {
    signingKey: string;
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
  };
  refreshTokens: { absoluteTtlSeconds: number; idleTtlSeconds: number; reuseGraceSeconds: number };
  passwords: { bcryptCost: number; workers: number; queueLimit: number };
  limits: Record<'loginPerAccount' | 'loginPerIp' | 'signUpPerIp' | 'refreshPerIp' | 'serviceTokenPerIp', { max: number; windowSeconds: number }>;
  serviceClients: { id: string; secretHash: string }[];
  adminBootstrapToken: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Settings whose values must never be echoed in an error message. */
const SECRET_SETTINGS = new Set(['COSMOS_KEY', 'JWT_SIGNING_KEY', 'ADMIN_BOOTSTRAP_TOKEN', 'GAME_SERVER_CLIENTS']);

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? '(settings)');
  if (issue.code === 'invalid_type' && env[name] === undefined) return `${name} is missing`;
  const where = name + issue.path.slice(1).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const shown = SECRET_SETTINGS.has(name) || env[name] === undefined ? '' : ` (got "${env[name]}")`;
  return `${where} ${issue.message.replace(/^Invalid input: /, '')}${shown}`;
}

export function loadConfig(rawEnv: Record<string, string | undefined>): AppConfig {
  // local.settings.json templates leave unused settings as "": treat them as not set.
  const env = Object.fromEntries(
    Object.keys(SETTINGS).map((name) => [name, rawEnv[name] === '' ? undefined : rawEnv[name]]),
  );
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, env)));
  const s = parsed.data;
  return {
    cosmos: { endpoint: s.COSMOS_ENDPOINT, key: s.COSMOS_KEY, database: s.COSMOS_DATABASE },
    azureClientId: s.AZURE_CLIENT_ID,
    redis: { url: s.REDIS_URL, keyPrefix: s.REDIS_KEY_PREFIX, auth: s.REDIS_AUTH },
    events: { userEventsTopic: s.USER_EVENTS_TOPIC },
    jwt: {
      signingKey: s.JWT_SIGNING_KEY,
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
    serviceClients: s.GAME_SERVER_CLIENTS,
    adminBootstrapToken: s.ADMIN_BOOTSTRAP_TOKEN,
  };
}

let cached: AppConfig | undefined;

/** The config of this process, read from the environment on first use. */
export function getConfig(): AppConfig {
  cached ??= loadConfig(process.env);
  return cached;
}
