/** What the account use cases need, as ports and settings; wired in platform/wiring/accounts.ts. */
import type { RateLimit } from '../kernel/rate-limits.js';
import type { SessionDeps } from '../sessions/deps.js';
import type { PasswordHasher, UserRepository } from './ports.js';

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

/** The account use cases open and end sessions too, so they need everything sessions need. */
export interface AccountDeps extends SessionDeps {
  users: UserRepository;
  hasher: PasswordHasher;
  limits: Limits;
  /** The configured game-server clients (a secret: read through the secret provider). */
  serviceClients: () => Promise<ServiceClient[]>;
  /** The one-time secret that makes its presenter the first admin; unset turns bootstrap off. */
  adminBootstrapToken: () => Promise<string | undefined>;
  /** Told after a profile changes or goes, so caches of public profiles (leaderboard names) drop it. */
  profileChanged?: (userId: string) => Promise<void>;
}
