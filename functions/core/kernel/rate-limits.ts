/** Rate limits as domain errors: 429 with how long to wait. */
import { DomainError } from './errors.js';
import type { RateLimit, RateLimiter } from './ports.js';

export function tooManyRequests(retryAfterSeconds: number, message = 'Too many requests; try again later.'): DomainError {
  return new DomainError('RATE_LIMITED', message, { retryAfterSeconds });
}

/** Counts one request against the limit; throws RATE_LIMITED once it is used up. */
export async function enforce(limiter: RateLimiter, limit: RateLimit, key: string | null): Promise<void> {
  // Without an address (a misconfigured front end) per-IP limits cannot apply; per-account ones still do.
  if (key === null) return;
  const state = await limiter.consume(limit, key);
  if (!state.allowed) throw tooManyRequests(state.retryAfterSeconds);
}
