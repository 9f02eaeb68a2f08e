/**
 * Sessions and their refresh tokens. A refresh token names its session (user id and session id, so
 * the session is one point read away) plus 256 random bits; only its SHA-256 is stored.
 */
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
  /** SHA-256 of the token the current one replaced, to tell a replay within the grace window. */
  previousTokenHash: string | null;
  rotatedAt: string | null;
  /** The current token sealed with a key only the previous token derives: returned on a retry. */
  sealedSuccessor: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
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
    previousTokenHash: null,
    rotatedAt: null,
    sealedSuccessor: null,
    revokedAt: null,
    revokedReason: null,
  };
}
