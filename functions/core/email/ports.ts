/** What the email use cases need: a way to send a mail, a durable queue of mails to send, one-time tokens. */

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailSender {
  /** Sends and waits until the service accepted it; throws MailRejectedError when no retry can help. */
  send(mail: OutgoingMail, idempotencyKey: string): Promise<void>;
}

/** The service refused this mail for good (a bad or suppressed address): log it, do not retry. */
export class MailRejectedError extends Error {
  constructor(readonly reason: string) {
    super(`mail rejected: ${reason}`);
    this.name = 'MailRejectedError';
  }
}

export const MAIL_KINDS = ['verify-email', 'password-reset', 'password-changed', 'email-change-confirm', 'email-change-notice'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * A mail to be sent: what and to whom, not the text. The text (and any link token) is made when it
 * is sent, so the queue never holds a usable token and a forgot-password request for an unknown
 * address is stored exactly like one for a known address.
 */
export interface MailJob {
  id: string;
  kind: MailKind;
  /** The account it is about; null for a password reset asked for by address. */
  userId: string | null;
  /** The address, when the job names one: the reset's, the old address of a change notice. */
  address: string | null;
  /** The address an email change goes to. */
  newEmail: string | null;
  attempts: number;
  /** Epoch ms: not to be tried before this (a try in progress pushes it forward: a lease). */
  notBefore: number;
  createdAt: number;
}

export interface MailQueue {
  add(job: MailJob): Promise<void>;
  /** Jobs whose notBefore has passed, oldest first. */
  due(now: number, limit: number): Promise<MailJob[]>;
  /** Moves notBefore to `until` if the job is unchanged since read; false if another worker took it. */
  lease(job: MailJob, until: number): Promise<MailJob | null>;
  /** Stores the job's next try (attempts, notBefore). */
  reschedule(job: MailJob): Promise<void>;
  remove(job: MailJob): Promise<void>;
}

export const TOKEN_PURPOSES = ['verify-email', 'password-reset', 'email-change'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** What a token is bound to; stored under the token's hash, never the token itself. */
export interface TokenRecord {
  purpose: TokenPurpose;
  userId: string;
  /** The address it confirms (verify: the account's; change: the new one); the reset's: the account's. */
  email: string;
}

export interface EmailTokenStore {
  save(tokenHash: string, record: TokenRecord, ttlSeconds: number): Promise<void>;
  /** Returns the record and deletes it in one step: of two concurrent redemptions one gets it. */
  take(tokenHash: string): Promise<TokenRecord | null>;
}
