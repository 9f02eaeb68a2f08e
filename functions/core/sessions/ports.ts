/** What the session use cases need: session storage, access tokens and their deny list. */
import type { Role } from '../kernel/caller.js';
import type { Page, PageRequest } from '../kernel/paging.js';
import type { SessionRecord } from './session.js';

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
  /**
   * Called before issuing an access token: once the deny list was lost and restarted, tokens issued
   * up to its restart are refused, so a new token must come after it (waits out that second).
   */
  readyToIssue(): Promise<void>;
}

export interface AccessTokenSubject {
  userId: string;
  sessionId: string | null;
  roles: Role[];
  username: string | null;
  /** Players' tokens say whether the account's address is verified (the email_verified claim). */
  emailVerified?: boolean;
  /**
   * When the account this subject describes was read (ms): the token says it was issued then (its
   * iat), not later, so a per-user cutoff taken after a change to the account also covers a token
   * minted from a read made before the change. Unset: issued now.
   */
  accountReadAtMs?: number;
}

export interface AccessTokenClaims {
  sub: string;
  sid: string | null;
  roles: Role[];
  username: string | null;
  emailVerified?: boolean;
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
