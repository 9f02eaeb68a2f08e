/** What the email use cases need, as ports and settings; wired in platform/features/email.ts. */
import type { UserRepository } from '../accounts/ports.js';
import type { Clock } from '../kernel/clock.js';
import type { RateLimit, RateLimiter } from '../kernel/rate-limits.js';
import type { EmailTokenStore, MailQueue, MailSender } from './ports.js';
import type { MailTemplates } from './templates.js';

export interface EmailSettings {
  productName: string;
  /** Where the links in mails point (the game's web front end; locally the host's dev pages). */
  linkBaseUrl: string;
  templates: MailTemplates;
  /** Verification and email-change links. */
  tokenTtlSeconds: number;
  /** Password-reset links: shorter. */
  resetTokenTtlSeconds: number;
  /** Sends of one mail before it is logged and dropped. */
  maxAttempts: number;
  /** The first retry's delay; each next one doubles, up to 15 minutes. */
  retryBaseSeconds: number;
  requireVerifiedEmail: boolean;
  limits: {
    resendPerAccount: RateLimit;
    forgotPerAddress: RateLimit;
    forgotPerIp: RateLimit;
  };
}

export interface EmailDeps {
  users: Pick<UserRepository, 'findById' | 'findByLogin'>;
  sender: MailSender;
  queue: MailQueue;
  tokens: EmailTokenStore;
  rateLimiter: RateLimiter;
  clock: Clock;
  newId: () => string;
  settings: EmailSettings;
  log: { info(message: string): void; warn(message: string): void };
}
