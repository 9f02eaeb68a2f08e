/**
 * The ports the use cases talk to. Adapters (functions/adapters) implement them against Cosmos,
 * Redis, worker threads and jose; unit tests hand the use cases small fakes.
 */
import type { Role, StoredUser } from '../accounts/users.js';
import type { SessionRecord } from '../sessions/session.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type UniqueField = 'username' | 'email';

export interface PageRequest {
  limit: number;
  /** Opaque, from the previous page; absent for the first page. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Hand back to get the next page; null on the last one. */
  cursor: string | null;
}

export interface UserRepository {
  /** Claims the username and email, then stores the user. Throws USER_EXISTS naming the field. */
  create(user: StoredUser): Promise<StoredUser>;
  findById(id: string): Promise<StoredUser | null>;
  /** Looks a user up by username or email, case-insensitively. */
  findByLogin(login: string): Promise<StoredUser | null>;
  /** A cheap early check; create() is still the authority under concurrency. */
  isTaken(field: UniqueField, value: string): Promise<boolean>;
  /**
   * Writes the user if its stored etag is still `user.etag` (PRECONDITION_FAILED otherwise). A
   * changed email is claimed first (USER_EXISTS if taken) and the old claim released after.
   */
  update(user: StoredUser): Promise<StoredUser>;
  /** Removes the user and releases their username and email. */
  delete(user: StoredUser): Promise<void>;
  /** Users whose username or email starts with the prefix, by username. */
  search(prefix: string, page: PageRequest): Promise<Page<StoredUser>>;
  /** Records a one-time event (like the first admin); false if it was already recorded. */
  markOnce(name: string): Promise<boolean>;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<SessionRecord>;
  get(userId: string, sessionId: string): Promise<SessionRecord | null>;
  /** Writes the session if its etag still matches; null when another write came first. */
  replaceIfUnchanged(session: SessionRecord): Promise<SessionRecord | null>;
  /** The user's sessions, most recently used first. */
  listByUser(userId: string, page: PageRequest): Promise<Page<SessionRecord>>;
  /** Every session document of the user, live or not. */
  allOfUser(userId: string): Promise<SessionRecord[]>;
  deleteAllOfUser(userId: string): Promise<void>;
}

/**
 * Access tokens are self-contained, so ending a session or an account early needs a deny list
 * that every verification consults, kept only as long as a token could still be valid.
 */
export interface TokenRevocations {
  revokeSessions(sessionIds: string[]): Promise<void>;
  /** Every access token of the user issued up to now stops working. */
  revokeUser(userId: string): Promise<void>;
  isRevoked(claims: AccessTokenClaims): Promise<boolean>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Verifies against a hash of the configured cost, so an unknown user takes as long as a known one. */
  verifyDummy(password: string): Promise<void>;
  /** True when the hash was made at a lower cost than is configured now. */
  needsRehash(hash: string): boolean;
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
  username: string | null;
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
  /** Takes back one event counted by consume that turned out not to count (never below zero). */
  release(limit: RateLimit, key: string): Promise<void>;
}

// Gameplay AI and secrets

/**
 * Secrets by their app-setting names (e.g. OPENAI_API_KEY), wherever they live: Key Vault in
 * Azure, the app settings on a developer machine.
 */
export interface SecretProvider {
  /** The current value, or undefined when no such secret exists. Throws SERVICE_UNAVAILABLE when it cannot be read. */
  get(name: string): Promise<string | undefined>;
  /**
   * The consumer's upstream refused `value` (a rotated key): re-reads the secret now, at most once
   * per interval however many callers report it, and returns the value to try next (the same one
   * if nothing newer is known).
   */
  rejected(name: string, value: string): Promise<string | undefined>;
}

export interface AiCompletionRequest {
  instructions: string;
  prompt: string;
  context: string | undefined;
  maxOutputTokens: number;
  temperature: number | undefined;
}

export interface AiUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface AiCompletion {
  output: string;
  model: string;
  /** Why the model stopped, as the provider says it ("stop", "length", "content_filter", ...). */
  finishReason: string | null;
  usage: AiUsage;
}

export interface AiCompletions {
  /**
   * One completion with this API key. Throws CredentialRejectedError when the provider refuses
   * the key, and DomainErrors (UPSTREAM_FAILED, UPSTREAM_TIMEOUT, SERVICE_UNAVAILABLE) otherwise.
   */
  complete(request: AiCompletionRequest, apiKey: string): Promise<AiCompletion>;
}

