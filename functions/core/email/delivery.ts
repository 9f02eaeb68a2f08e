/**
 * Mail delivery, off the request's path: a request only adds a job to the durable queue and starts
 * a first try it does not wait for; the delivery timer retries what failed, with backoff, and a
 * mail the service refuses for good (or that kept failing) is logged and dropped.
 */
import { isActive } from '../accounts/users.js';
import type { EmailDeps } from './deps.js';
import { MailRejectedError, type MailJob, type MailKind, type OutgoingMail, type TokenPurpose } from './ports.js';
import { linkFor, renderMail } from './templates.js';
import { issueLinkToken } from './tokens.js';

/** A try owns its job this long; the timer takes it over after that (a crashed instance). */
const LEASE_MS = 60_000;
const MAX_RETRY_DELAY_MS = 15 * 60_000;

export type MailRequest = Pick<MailJob, 'kind'> & Partial<Pick<MailJob, 'userId' | 'address' | 'newEmail'>>;

/** Queues the mails and starts sending them; never waits for the mail service and never fails for it. */
export async function requestMails(deps: EmailDeps, requests: MailRequest[]): Promise<void> {
  const now = deps.clock.now();
  const jobs = requests.map(
    (r): MailJob => ({ id: deps.newId(), kind: r.kind, userId: r.userId ?? null, address: r.address ?? null, newEmail: r.newEmail ?? null, attempts: 0, notBefore: now + LEASE_MS, createdAt: now }),
  );
  try {
    await Promise.all(jobs.map((job) => deps.queue.add(job)));
  } catch (error) {
    // The change that asked for the mail stands; the player can ask for the mail again.
    deps.log.warn(`email: could not queue ${jobs.map((j) => j.kind).join(', ')} (${describe(error)})`);
    return;
  }
  // Leased from birth: this try owns the job, the timer only takes it if this try dies.
  for (const job of jobs) void attempt(deps, job).catch((error: unknown) => deps.log.warn(`email: ${job.kind} ${job.id} left for the retry timer (${describe(error)})`));
}

/** The delivery timer's run: every due job, leased one by one so two instances never send one twice. */
export async function deliverDueMails(deps: EmailDeps, limit = 100): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  for (const job of await deps.queue.due(now, limit)) {
    const leased = await deps.queue.lease(job, now + LEASE_MS);
    if (leased && (await attempt(deps, leased))) sent += 1;
  }
  return sent;
}

/** One try of a leased job: true if sent; a failure is rescheduled or, when final, logged and dropped. */
async function attempt(deps: EmailDeps, job: MailJob): Promise<boolean> {
  try {
    const mail = await compose(deps, job);
    if (mail !== null) await deps.sender.send(mail, job.id);
    await deps.queue.remove(job);
    return mail !== null;
  } catch (error) {
    const attempts = job.attempts + 1;
    if (error instanceof MailRejectedError || attempts >= deps.settings.maxAttempts) {
      deps.log.warn(`email: ${job.kind} ${job.id} dropped after ${attempts} attempt(s): ${describe(error)}`);
      await deps.queue.remove(job);
      return false;
    }
    const delay = Math.min(MAX_RETRY_DELAY_MS, deps.settings.retryBaseSeconds * 1000 * 2 ** (attempts - 1));
    await deps.queue.reschedule({ ...job, attempts, notBefore: deps.clock.now() + delay });
    deps.log.info(`email: ${job.kind} ${job.id} failed (attempt ${attempts}), retried in ${Math.round(delay / 1000)} s: ${describe(error)}`);
    return false;
  }
}

const TOKEN_PURPOSE: Partial<Record<MailKind, TokenPurpose>> = {
  'verify-email': 'verify-email',
  'password-reset': 'password-reset',
  'email-change-confirm': 'email-change',
};

/**
 * The mail as it is now: made at send time, so a link token exists only in the mail. Null when
 * there is nothing to send any more (an unknown reset address, an account gone or already verified).
 */
async function compose(deps: EmailDeps, job: MailJob): Promise<OutgoingMail | null> {
  const user = job.userId !== null ? await deps.users.findById(job.userId) : job.address !== null ? await deps.users.findByLogin(job.address) : null;
  if (user === null) return null;
  const { settings } = deps;
  let to = user.email;
  if (job.kind === 'verify-email' && user.emailVerified === true) return null;
  if (job.kind === 'password-reset' && !isActive(user, deps.clock.now())) return null;
  if (job.kind === 'email-change-confirm') {
    // A newer request (or a confirmation) replaced this one.
    if (job.newEmail === null || user.pendingEmail !== job.newEmail) return null;
    to = job.newEmail;
  }
  if (job.kind === 'email-change-notice' && job.address !== null) to = job.address;
  const values: Record<string, string> = { product: settings.productName, username: user.username, newEmail: job.newEmail ?? '' };
  const purpose = TOKEN_PURPOSE[job.kind];
  if (purpose !== undefined) {
    const ttl = purpose === 'password-reset' ? settings.resetTokenTtlSeconds : settings.tokenTtlSeconds;
    const token = await issueLinkToken(deps.tokens, { purpose, userId: user.id, email: to }, ttl);
    values['link'] = linkFor(settings.linkBaseUrl, job.kind, token);
  }
  return renderMail(settings.templates, job.kind, to, values);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
