/** Everything the use cases need, as ports and settings; wired in platform/services.ts. */
import type {
  AccessTokens,
  Clock,
  PasswordHasher,
  RateLimit,
  RateLimiter,
  SessionRepository,
  TokenRevocations,
  UserRepository,
} from '../kernel/ports.js';
import type { EventSink } from '../events/events.js';
import type { SessionPolicy } from '../sessions/session.js';

export interface Limits {
  /** Failed logins per account (or per unknown login name) before login answers 429. */
  loginPerAccount: RateLimit;
  /** Failed logins per client IP, whatever the account. */
  loginPerIp: RateLimit;
  signUpPerIp: RateLimit;
  refreshPerIp: RateLimit;
  /** Client-credential token requests per IP. */
  serviceTokenPerIp: RateLimit;
}

export interface ServiceClient {
  id: string;
  /** "sha256:" + base64url SHA-256 of the secret: secrets are long random strings, so no bcrypt. */
  secretHash: string;
}

export interface CoreDeps {
  users: UserRepository;
  sessions: SessionRepository;
  hasher: PasswordHasher;
  tokens: AccessTokens;
  revocations: TokenRevocations;
  rateLimiter: RateLimiter;
  events: EventSink;
  clock: Clock;
  newId: () => string;
  sessionPolicy: SessionPolicy & { absoluteTtlSeconds: number };
  limits: Limits;
  /** The configured game-server clients (a secret: read through the secret provider). */
  serviceClients: () => Promise<ServiceClient[]>;
  /** The one-time secret that makes its presenter the first admin; unset turns bootstrap off. */
  adminBootstrapToken: () => Promise<string | undefined>;
}
