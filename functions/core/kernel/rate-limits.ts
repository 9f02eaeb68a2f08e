/** Rate limits: the counter port and its use as a domain error (429 with how long to wait). */
import { DomainError } from './errors.js';

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
