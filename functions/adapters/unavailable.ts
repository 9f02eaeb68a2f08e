/**
 * Recognises the SDKs' ways of saying "the dependency is down or too slow right now", so the
 * HTTP edge can answer 503 with Retry-After (try again) instead of 500 (our bug).
 *
 * By class name, not instanceof: importing the SDKs' error classes here would load node-redis and
 * the Cosmos SDK with the app, before any function needs them. No error of theirs exists before
 * their adapters load them, and the names are the SDKs' exported class names (Cosmos's
 * TimeoutError, node-redis's connection errors and its TimeoutError family).
 */
const UNAVAILABLE_CLASSES = new Set([
  'ClientOfflineError',
  'ClientClosedError',
  'ConnectionTimeoutError',
  'SocketClosedUnexpectedlyError',
  'SocketTimeoutError',
  'TimeoutError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** Cosmos: throttled past the SDK's own retries, timed out, or unavailable. */
const COSMOS_UNAVAILABLE = new Set([408, 429, 503]);

/** Whether the error is an instance of a class of one of those names (a subclass counts, as with instanceof). */
function isUnavailableClass(error: object): boolean {
  for (let proto = Object.getPrototypeOf(error) as object | null; proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    if (UNAVAILABLE_CLASSES.has((proto as { constructor: { name: string } }).constructor.name)) return true;
  }
  return false;
}

export function isDependencyUnavailable(error: unknown): boolean {
  if (error instanceof Error && isUnavailableClass(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return NETWORK_CODES.has(code);
  if (typeof code === 'number') return COSMOS_UNAVAILABLE.has(code);
  return false;
}
