/**
 * One-time link tokens: 256 random bits, base64url, stored only as their SHA-256 hash (a token is
 * a long random string, so no slow hash is needed), single use, expiring, bound to account and purpose.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../kernel/errors.js';
import type { EmailTokenStore, TokenPurpose, TokenRecord } from './ports.js';

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** One answer for unknown, used, expired and wrong-purpose tokens: a probe learns nothing. */
export function invalidLinkToken(): DomainError {
  return new DomainError('INVALID_TOKEN', 'The link is invalid, already used or expired; ask for a new one.');
}

export async function issueLinkToken(store: EmailTokenStore, record: TokenRecord, ttlSeconds: number): Promise<string> {
  const token = newLinkToken();
  await store.save(hashLinkToken(token), record, ttlSeconds);
  return token;
}

/** Takes the token (it cannot be used again, whatever follows) and checks its purpose. */
export async function redeemLinkToken(store: EmailTokenStore, token: string, purpose: TokenPurpose): Promise<TokenRecord> {
  // A token of ours is 43 base64url characters; anything else is not worth a lookup.
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw invalidLinkToken();
  const record = await store.take(hashLinkToken(token));
  if (record === null || record.purpose !== purpose) throw invalidLinkToken();
  return record;
}
