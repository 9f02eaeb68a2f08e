/** Keyset cursors of the social lists: the last sort key (or index position) shown, opaque to clients. */
import { invalidCursor } from '../kernel/paging.js';

export function encodeKey(key: string): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
}

export function decodeKey(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith("k:") || text.length < 3 || /[\p{Cc}\p{Cs}]/u.test(text)) throw invalidCursor();
  return text.slice(2);
}
