/** What the account use cases need, as ports and settings; wired in platform/wiring/accounts.ts. */
import type { MailRequest } from '../email/delivery.js';
import type { RateLimit } from '../kernel/rate-limits.js';
import type { SessionDeps } from '../sessions/deps.js';
import type { PasswordHasher, UserRepository } from './ports.js';
import type { StoredUser } from './users.js';

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

/** Other features that keep something per player (the search index, the social graph) hear of sign-ups and deletions. */
export interface AccountLifecycle {
  created(user: StoredUser): Promise<void>;
  /** The username changed (the record already holds the new one). */
  renamed(before: StoredUser, after: StoredUser): Promise<void>;
  deleted(user: StoredUser): Promise<void>;
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
  /** Queues mails (verification, email change); never waits for the mail service, never fails. */
  requestMails: (requests: MailRequest[]) => Promise<void>;
  /** REQUIRE_VERIFIED_EMAIL: login refuses accounts whose address is not verified. */
  requireVerifiedEmail: boolean;
  /** Filled in by the wiring once every feature is built. */
  lifecycle: AccountLifecycle[];
  /** Told after a profile changes or goes, so caches of public profiles (leaderboard names) drop it. */
  profileChanged?: (userId: string) => Promise<void>;
}
