/**
 * Recognises the SDKs' ways of saying "the dependency is down or too slow right now", so the
 * HTTP edge can answer 503 with Retry-After (try again) instead of 500 (our bug).
 */
import { TimeoutError as CosmosTimeoutError } from '@azure/cosmos';
import { ClientClosedError, ClientOfflineError, ConnectionTimeoutError, SocketClosedUnexpectedlyError, SocketTimeoutError, TimeoutError as RedisTimeoutError } from 'redis';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** Cosmos: throttled past the SDK's own retries, timed out, or unavailable. */
const COSMOS_UNAVAILABLE = new Set([408, 429, 503]);

export function isDependencyUnavailable(error: unknown): boolean {
  if (
    error instanceof ClientOfflineError ||
    error instanceof ClientClosedError ||
    error instanceof ConnectionTimeoutError ||
    error instanceof SocketClosedUnexpectedlyError ||
    error instanceof SocketTimeoutError ||
    error instanceof CosmosTimeoutError ||
    error instanceof RedisTimeoutError
  ) {
    return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return NETWORK_CODES.has(code);
  if (typeof code === 'number') return COSMOS_UNAVAILABLE.has(code);
  return false;
}
