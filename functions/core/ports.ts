/**
 * The ports the use cases talk to. Adapters (functions/adapters) implement them against Cosmos,
 * Redis, worker threads and jose; unit tests hand the use cases small fakes.
 */
import type { Role, StoredUser } from './users.js';
import type { SessionRecord } from './sessions.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type UniqueField = 'username' | 'email';

export interface UserRepository {
  /** Claims the username and email, then stores the user. Throws USER_EXISTS naming the field. */
  create(user: StoredUser): Promise<StoredUser>;
  findById(id: string): Promise<StoredUser | null>;
  /** Looks a user up by username or email, case-insensitively. */
  findByLogin(login: string): Promise<StoredUser | null>;
  /** A cheap early check; create() is still the authority under concurrency. */
  isTaken(field: UniqueField, value: string): Promise<boolean>;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<SessionRecord>;
  get(userId: string, sessionId: string): Promise<SessionRecord | null>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Verifies against a hash of the configured cost, so an unknown user takes as long as a known one. */
  verifyDummy(password: string): Promise<void>;
}

export interface AccessTokenSubject {
  userId: string;
  sessionId: string | null;
  roles: Role[];
  username: string | null;
}

export interface AccessTokenClaims {
  sub: string;
  sid: string | null;
  roles: Role[];
  jti: string;
  iat: number;
  exp: number;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  claims: AccessTokenClaims;
}

export interface AccessTokens {
  issue(subject: AccessTokenSubject): Promise<IssuedAccessToken>;
  /** Throws UNAUTHENTICATED for anything but a valid, unexpired token of ours. */
  verify(token: string): Promise<AccessTokenClaims>;
}

export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface RateLimit {
  /** Names the counter, e.g. "login-account"; part of its key. */
  name: string;
  max: number;
  windowSeconds: number;
}

export interface RateLimitState {
  count: number;
  allowed: boolean;
  /** Seconds until the window resets; 0 when nothing is counted. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one event against the limit and says whether it is still within it. */
  consume(limit: RateLimit, key: string): Promise<RateLimitState>;
  /** Says whether the limit is already used up, without counting anything. */
  check(limit: RateLimit, key: string): Promise<RateLimitState>;
  reset(limit: RateLimit, key: string): Promise<void>;
}
