/**
 * Sending mail through Azure Communication Services Email: by the managed identity in Azure (the
 * endpoint and the "Communication and Email Service Owner" role), by connection string only locally
 * (the stand-in). One client per process. Refusals no retry can fix become MailRejectedError.
 */
import type { EmailClient, EmailMessage } from '@azure/communication-email';
import { randomUUID } from 'node:crypto';
import { MailRejectedError, type MailSender, type OutgoingMail } from '../../core/email/ports.js';
import { azureCredential } from '../identity.js';
import { once } from '../../core/kernel/once.js';

export interface AcsEmailSettings {
  endpoint: string;
  /** Local only: the stand-in's "endpoint=...;accesskey=...". */
  connectionString: string | undefined;
  sender: string;
}

/** Quick SDK retries only: the mail queue retries with backoff, and a request never waits on this. */
const RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AcsMailSender implements MailSender {
  constructor(
    private readonly settings: AcsEmailSettings,
    private readonly azureClientId: string | undefined,
    private readonly options: { retryOptions?: typeof RETRY_OPTIONS | { maxRetries: number }; pollIntervalMs?: number } = {},
  ) {}

  /** Made (and the SDK imported) on the first send: the mail timer's first run, not the cold start. */
  private readonly emailClient = once(async (): Promise<EmailClient> => {
    const { EmailClient } = await import('@azure/communication-email');
    const { connectionString, endpoint } = this.settings;
    const options = { retryOptions: this.options.retryOptions ?? RETRY_OPTIONS, allowInsecureConnection: (connectionString ?? endpoint).includes('http://') };
    return connectionString ? new EmailClient(connectionString, options) : new EmailClient(endpoint, await azureCredential(this.azureClientId), options);
  });

  async send(mail: OutgoingMail, idempotencyKey: string): Promise<void> {
    const message: EmailMessage = {
      senderAddress: this.settings.sender,
      content: { subject: mail.subject, plainText: mail.text, html: mail.html },
      recipients: { to: [{ address: mail.to }] },
      disableUserEngagementTracking: true,
    };
    try {
      // The job id as operation id (the SDK wants a UUID): a retried send names the same operation.
      const operationId = UUID.test(idempotencyKey) ? idempotencyKey : randomUUID();
      const poller = await (await this.emailClient()).beginSend(message, { operationId, updateIntervalInMs: this.options.pollIntervalMs ?? 500 });
      const result = await poller.pollUntilDone();
      if (result.status !== 'Succeeded') throw new MailRejectedError(`operation ended ${result.status}`);
    } catch (error) {
      throw classify(error);
    }
  }
}

/** 4xx but 408 and 429 is the request's fault, and a failed operation (suppressed recipients) is final. */
export function classify(error: unknown): unknown {
  if (error instanceof MailRejectedError) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  const code = (error as { code?: unknown }).code;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new MailRejectedError(`${status} ${typeof code === 'string' ? code : ''}`.trim());
  }
  if (error instanceof Error && /long-running operation has failed/i.test(error.message)) return new MailRejectedError(error.message);
  return error;
}
