/**
 * Sessions and their refresh tokens. A refresh token names its session (user id and session id, so
 * the session is one point read away) plus 256 random bits; only its SHA-256 is stored.
 */
import type { PendingEvent } from '../events/outbox.js';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  lastUsedAt: string;
  /** The session ends here whatever happens: the refresh token's absolute lifetime. */
  absoluteExpiresAt: string;
  userAgent: string | null;
  ip: string | null;
  clientLabel: string | null;
  /** SHA-256 of the current refresh token. */
  tokenHash: string;
  /** How many times the refresh token was rotated. */
  generation: number;
  /**
   * SHA-256 of the tokens this one replaced, newest first and bounded: presenting one of them
   * again is a replay (the family is revoked), or a retry within the grace window (newest only).
   */
  retiredTokenHashes: string[];
  rotatedAt: string | null;
  /** The current token sealed with a key only the previous token derives: returned on a retry. */
  sealedSuccessor: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  /** Events of this session's changes (login, logout) not yet published: written with the change itself. */
  pendingEvents?: PendingEvent[];
  etag?: string;
}

export interface SessionOrigin {
  userAgent: string | null;
  ip: string | null;
  clientLabel: string | null;
}

const TOKEN_PREFIX = 'rt_';
const SECRET_BYTES = 32;

function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newRefreshToken(userId: string, sessionId: string): string {
  const body = Buffer.concat([uuidToBytes(userId), uuidToBytes(sessionId), randomBytes(SECRET_BYTES)]);
  return TOKEN_PREFIX + body.toString('base64url');
}

/** Reads the ids out of a refresh token; null when it is not one of ours. */
export function parseRefreshToken(token: string): { userId: string; sessionId: string } | null {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const body = Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url');
  if (body.length !== 32 + SECRET_BYTES) return null;
  return { userId: bytesToUuid(body.subarray(0, 16)), sessionId: bytesToUuid(body.subarray(16, 32)) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function tokenMatchesHash(token: string, hash: string | null): boolean {
  if (hash === null) return false;
  const a = Buffer.from(hashRefreshToken(token));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

function successorKey(previousToken: string): Buffer {
  return Buffer.from(hkdfSync('sha256', previousToken, 'refresh-successor', 'v1', 32));
}

/**
 * Seals the new token so that only a holder of the old one can open it: a retry inside the grace
 * window gets the same successor back, and the database never holds a usable token.
 */
export function sealSuccessor(previousToken: string, successor: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', successorKey(previousToken), iv);
  const sealed = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function openSuccessor(previousToken: string, sealed: string): string | null {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', successorKey(previousToken), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export function newSession(
  ids: { sessionId: string; userId: string },
  origin: SessionOrigin,
  refreshToken: string,
  nowMs: number,
  absoluteLifetimeSeconds: number,
): SessionRecord {
  const now = new Date(nowMs).toISOString();
  return {
    id: ids.sessionId,
    userId: ids.userId,
    createdAt: now,
    lastUsedAt: now,
    absoluteExpiresAt: new Date(nowMs + absoluteLifetimeSeconds * 1000).toISOString(),
    userAgent: origin.userAgent,
    ip: origin.ip,
    clientLabel: origin.clientLabel,
    tokenHash: hashRefreshToken(refreshToken),
    generation: 0,
    retiredTokenHashes: [],
    rotatedAt: null,
    sealedSuccessor: null,
    revokedAt: null,
    revokedReason: null,
  };
}

/** How many replaced tokens a session remembers, to tell a replay from a forgery. */
export const MAX_RETIRED_TOKENS = 16;

export interface SessionPolicy {
  idleTtlSeconds: number;
  reuseGraceSeconds: number;
}

export function isLive(session: SessionRecord, nowMs: number, policy: SessionPolicy): boolean {
  return (
    session.revokedAt === null &&
    nowMs < Date.parse(session.absoluteExpiresAt) &&
    nowMs < Date.parse(session.lastUsedAt) + policy.idleTtlSeconds * 1000
  );
}

export type RefreshDecision =
  | { kind: 'rotate' }
  /** The newest retired token again, within the grace window: hand back the same successor. */
  | { kind: 'retry'; successor: string }
  /** An already-rotated token outside the grace window: someone else may hold the family. */
  | { kind: 'replay' }
  /** Revoked, expired, or not a token of this session: refuse, change nothing. */
  | { kind: 'refuse'; reason: 'revoked' | 'expired' | 'unknown' };

export function decideRefresh(session: SessionRecord, token: string, nowMs: number, policy: SessionPolicy): RefreshDecision {
  if (session.revokedAt !== null) return { kind: 'refuse', reason: 'revoked' };
  if (!isLive(session, nowMs, policy)) return { kind: 'refuse', reason: 'expired' };
  if (tokenMatchesHash(token, session.tokenHash)) return { kind: 'rotate' };
  const retiredIndex = session.retiredTokenHashes.findIndex((hash) => tokenMatchesHash(token, hash));
  if (retiredIndex === -1) return { kind: 'refuse', reason: 'unknown' };
  const withinGrace =
    retiredIndex === 0 &&
    session.rotatedAt !== null &&
    nowMs - Date.parse(session.rotatedAt) <= policy.reuseGraceSeconds * 1000;
  const successor = withinGrace && session.sealedSuccessor ? openSuccessor(token, session.sealedSuccessor) : null;
  return successor ? { kind: 'retry', successor } : { kind: 'replay' };
}

export function rotated(session: SessionRecord, token: string, successor: string, nowMs: number): SessionRecord {
  const now = new Date(nowMs).toISOString();
  return {
    ...session,
    tokenHash: hashRefreshToken(successor),
    generation: session.generation + 1,
    retiredTokenHashes: [session.tokenHash, ...session.retiredTokenHashes].slice(0, MAX_RETIRED_TOKENS),
    rotatedAt: now,
    sealedSuccessor: sealSuccessor(token, successor),
    lastUsedAt: now,
  };
}

export function revoked(session: SessionRecord, nowMs: number, reason: string): SessionRecord {
  return { ...session, revokedAt: new Date(nowMs).toISOString(), revokedReason: reason, sealedSuccessor: null };
}

/** What a player sees of one of their sessions. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  clientLabel: string | null;
  current: boolean;
}

export function toSessionView(session: SessionRecord, currentSessionId: string | null, policy: SessionPolicy): SessionView {
  const idleEnd = Date.parse(session.lastUsedAt) + policy.idleTtlSeconds * 1000;
  return {
    id: session.id,
    createdAt: session.createdAt,
    lastUsedAt: session.lastUsedAt,
    expiresAt: new Date(Math.min(idleEnd, Date.parse(session.absoluteExpiresAt))).toISOString(),
    userAgent: session.userAgent,
    ip: session.ip,
    clientLabel: session.clientLabel,
    current: session.id === currentSessionId,
  };
}
