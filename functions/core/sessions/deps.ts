/** What the session use cases need, as ports and settings; wired in platform/wiring/accounts.ts. */
import type { UserRepository } from '../accounts/ports.js';
import type { EventSink } from '../events/outbox.js';
import type { Clock } from '../kernel/clock.js';
import type { Counters } from '../metrics/metrics.js';
import type { RateLimit, RateLimiter } from '../kernel/rate-limits.js';
import type { AccessTokens, SessionRepository, TokenRevocations } from './ports.js';
import type { SessionPolicy } from './session.js';

export interface SessionDeps {
  /** Refresh re-reads the account, so a suspended or deleted player cannot refresh. */
  users: Pick<UserRepository, 'findById'>;
  sessions: SessionRepository;
  tokens: AccessTokens;
  revocations: TokenRevocations;
  rateLimiter: RateLimiter;
  events: EventSink;
  clock: Clock;
  newId: () => string;
  sessionPolicy: SessionPolicy & { absoluteTtlSeconds: number };
  limits: { refreshPerIp: RateLimit };
  counters: Counters;
}
