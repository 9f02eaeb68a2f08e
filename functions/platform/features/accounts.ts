/**
 * Accounts and sessions: users and their uniqueness claims, password hashing, access tokens,
 * refresh-token sessions, the deny list, login throttling and the game-server clients.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { CosmosSessionRepository } from '../../adapters/cosmos/sessions.js';
import { CosmosUserRepository } from '../../adapters/cosmos/users.js';
import { JoseAccessTokens } from '../../adapters/jwt/access-tokens.js';
import { BcryptPool } from '../../adapters/passwords/bcrypt-pool.js';
import { RedisTokenRevocations } from '../../adapters/redis/revocations.js';
import type { AccountDeps } from '../../core/accounts/deps.js';
import type { MailRequest } from '../../core/email/delivery.js';
import type { EventSink } from '../../core/events/outbox.js';
import { featureSettings, int, jsonSetting, rateLimit, seconds } from '../settings-kit.js';
import { parsedSecret, type Infrastructure } from './infrastructure.js';

/** Game-server clients: JSON [{"id": "...", "secretHash": "sha256:..."}]. */
export const serviceClients = jsonSetting('[]', '[{"id": "...", "secretHash": "sha256:..."}]', z.array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'ids are 1-64 characters of letters, digits, "_", "." or "-"'),
        secretHash: z.string().regex(/^sha256:[A-Za-z0-9_-]{43}$/, 'must be "sha256:" + the base64url SHA-256 of the secret'),
      }),
    ),);

export const accountSettings = featureSettings({
  shape: {
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

    /** A secret (Key Vault: game-server-clients); validated here when it comes from the settings. */
    GAME_SERVER_CLIENTS: serviceClients.describe('secret'),
    /** One-time secret that makes its presenter the first admin (Key Vault: admin-bootstrap-token). */
    ADMIN_BOOTSTRAP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional().describe('secret'),
  },
  read: (s) => ({
    jwt: { issuer: s.JWT_ISSUER, audience: s.JWT_AUDIENCE, accessTokenTtlSeconds: s.ACCESS_TOKEN_TTL_SECONDS },
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
  }),
  problems(env) {
    if (env['JWT_SIGNING_KEY'] === undefined && env['KEY_VAULT_URI'] === undefined) {
      return ['JWT_SIGNING_KEY is missing (or set KEY_VAULT_URI to read it from Key Vault as jwt-signing-key)'];
    }
    return [];
  },
  secret: ['JWT_SIGNING_KEY', 'ADMIN_BOOTSTRAP_TOKEN', 'GAME_SERVER_CLIENTS'],
});

export type AccountsConfig = ReturnType<typeof accountSettings.read>;

export interface AccountServices {
  accounts: AccountDeps;
  /** Also what the JWKS endpoint publishes. */
  accessTokens: JoseAccessTokens;
  close(): Promise<void>;
}

export function wireAccounts(
  config: AccountsConfig,
  infra: Infrastructure,
  events: EventSink,
  mail: { requestMails: (requests: MailRequest[]) => Promise<void>; requireVerifiedEmail: boolean },
): AccountServices {
  const accessTokens = new JoseAccessTokens(() => infra.secrets.get('JWT_SIGNING_KEY'), {
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    ttlSeconds: config.jwt.accessTokenTtlSeconds,
    now: infra.clock.now,
    newId: infra.newId,
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
  const accounts: AccountDeps = {
    users: new CosmosUserRepository(infra.cosmos),
    sessions: new CosmosSessionRepository(infra.cosmos, sessionPolicy.absoluteTtlSeconds + 86_400),
    hasher: passwords,
    tokens: accessTokens,
    revocations: new RedisTokenRevocations(infra.redis, infra.keyPrefix, config.jwt.accessTokenTtlSeconds, infra.clock, (cutoff) =>
      console.warn(`revocations: the deny list was missing in Redis (lost or new); access tokens issued up to ${new Date(cutoff * 1000).toISOString()} are refused, clients refresh`),
    ),
    rateLimiter: infra.rateLimiter,
    events,
    clock: infra.clock,
    newId: infra.newId,
    sessionPolicy,
    counters: infra.counters,
    limits: {
      loginPerAccount: { name: 'login-account', ...config.limits.loginPerAccount },
      loginPerIp: { name: 'login-ip', ...config.limits.loginPerIp },
      signUpPerIp: { name: 'signup-ip', ...config.limits.signUpPerIp },
      refreshPerIp: { name: 'refresh-ip', ...config.limits.refreshPerIp },
      serviceTokenPerIp: { name: 'service-token-ip', ...config.limits.serviceTokenPerIp },
    },
    serviceClients: parsedSecret(infra.secrets, 'GAME_SERVER_CLIENTS', (text) => serviceClients.parse(text), []),
    adminBootstrapToken: () => infra.secrets.get('ADMIN_BOOTSTRAP_TOKEN'),
    requestMails: mail.requestMails,
    requireVerifiedEmail: mail.requireVerifiedEmail,
    lifecycle: [],
  };
  return { accounts, accessTokens, close: () => passwords.close() };
}
