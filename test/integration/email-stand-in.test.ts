/** The ACS Email stand-in with the official EmailClient: send, the poller, auth, the mailbox, failure injection. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmailClient, type EmailMessage } from '@azure/communication-email';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmailStandIn, type EmailStandIn } from '../../infra/email/server.js';
import { ROOT } from '../support/stack.js';

const SENDER = 'DoNotReply@local.test';
let email: EmailStandIn;

beforeAll(async () => {
  email = await startEmailStandIn();
});
afterAll(async () => {
  await email?.stop();
});
beforeEach(() => {
  email.clearMails();
  email.clearFailures();
});

/** As the app would build it: connection string, plain HTTP allowed locally, no retries so failures show at once. */
function client(connectionString = email.connectionString): EmailClient {
  return new EmailClient(connectionString, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
}

function message(to: string, subject = 'Verify your email'): EmailMessage {
  return {
    senderAddress: SENDER,
    content: { subject, plainText: `Your code is 123456. Or open http://localhost/verify?code=123456`, html: '<p>Your code is <b>123456</b></p>' },
    recipients: { to: [{ address: to, displayName: 'Player One' }], bcc: [{ address: 'audit@local.test' }] },
    headers: { 'X-Purpose': 'verify' },
  };
}

async function sendAndWait(to: string, c = client()) {
  const poller = await c.beginSend(message(to), { updateIntervalInMs: 10 });
  return poller.pollUntilDone();
}

describe('ACS Email stand-in', () => {
  it('accepts a send from the official SDK, and the poller completes with Succeeded', async () => {
    const result = await sendAndWait('player@example.com');
    expect(result.status).toBe('Succeeded');
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    const [mail] = email.mails();
    expect(mail).toMatchObject({
      id: result.id,
      from: SENDER,
      to: 'player@example.com',
      bcc: 'audit@local.test',
      subject: 'Verify your email',
      text: expect.stringContaining('123456'),
      html: '<p>Your code is <b>123456</b></p>',
      headers: { 'X-Purpose': 'verify' },
    });
    expect(Date.now() - Date.parse(mail?.sentAt ?? '')).toBeLessThan(10_000);
  });

  it('keeps the operation id the caller chose', async () => {
    const OPERATION_ID = randomUUID();
    const poller = await client().beginSend(message('op@example.com'), { operationId: OPERATION_ID, updateIntervalInMs: 10 });
    expect(await poller.pollUntilDone()).toEqual({ id: OPERATION_ID, status: 'Succeeded' });
  });

  it('refuses a signature made with another key with 401, and records nothing', async () => {
    const wrongKey = Buffer.alloc(32, 7).toString('base64');
    const error = await client(`endpoint=${email.endpoint};accesskey=${wrongKey}`).beginSend(message('x@example.com')).then(
      () => null,
      (e: unknown) => e as { statusCode?: number; code?: string },
    );
    expect(error?.statusCode).toBe(401);
    expect(error?.code).toBe('Denied');
    expect(email.mails()).toEqual([]);
  });

  it('refuses a request without authorization and one whose body does not match its hash', async () => {
    const bare = await fetch(`${email.endpoint}emails:send?api-version=2025-09-01`, { method: 'POST', body: '{}' });
    expect(bare.status).toBe(401);
    // A body swapped after signing: the content hash no longer matches.
    const tampered = await fetch(`${email.endpoint}emails:send?api-version=2025-09-01`, {
      method: 'POST',
      body: '{"tampered":true}',
      headers: {
        'x-ms-date': new Date().toUTCString(),
        'x-ms-content-sha256': '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
        authorization: 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA',
      },
    });
    expect(tampered.status).toBe(401);
  });

  it('lists mails over HTTP as {items}, newest first, filtered by address', async () => {
    await sendAndWait('first@example.com');
    await sendAndWait('second@example.com');
    const all = (await (await fetch(`${email.endpoint}mailbox`)).json()) as { items: { to: string; subject: string; text: string; html: string; sentAt: string }[] };
    expect(all.items.map((m) => m.to)).toEqual(['second@example.com', 'first@example.com']);
    expect(Object.keys(all.items[0] ?? {})).toEqual(expect.arrayContaining(['to', 'subject', 'text', 'html', 'sentAt']));
    const one = (await (await fetch(`${email.endpoint}mailbox?to=FIRST@example.com`)).json()) as { items: { to: string }[] };
    expect(one.items.map((m) => m.to)).toEqual(['first@example.com']);
    expect(email.mails('audit@local.test')).toHaveLength(2);
  });

  it('fails the next N sends with a 5xx, then works again', async () => {
    email.failNextSends(2);
    const codes: (number | undefined)[] = [];
    for (let i = 0; i < 2; i++) {
      codes.push(await client().beginSend(message('retry@example.com')).then(() => undefined, (e: { statusCode?: number }) => e.statusCode));
    }
    expect(codes).toEqual([503, 503]);
    expect((await sendAndWait('retry@example.com')).status).toBe('Succeeded');
    expect(email.mails().map((m) => m.to)).toEqual(['retry@example.com']);
  });

  it('lets the SDK retry through a single 5xx when retries are on', async () => {
    email.failNextSends(1, { status: 500, code: 'InternalError' });
    const before = email.sendAttempts();
    const retrying = new EmailClient(email.connectionString, { allowInsecureConnection: true, retryOptions: { maxRetries: 1, retryDelayInMs: 10 } });
    expect((await sendAndWait('once@example.com', retrying)).status).toBe('Succeeded');
    expect(email.sendAttempts() - before).toBe(2);
  });

  it('refuses one address permanently with a 4xx (also when set over HTTP), and drops a suppressed one in the operation', async () => {
    const set = await fetch(`${email.endpoint}failures`, { method: 'POST', body: JSON.stringify({ rejectRecipient: 'bad@example.com', status: 400, code: 'InvalidRecipient' }) });
    expect(set.status).toBe(204);
    for (let i = 0; i < 2; i++) {
      const error = await client().beginSend(message('bad@example.com')).then(() => null, (e: { statusCode?: number; code?: string }) => e);
      expect(error).toMatchObject({ statusCode: 400, code: 'InvalidRecipient' });
    }
    email.suppressRecipient('gone@example.com');
    const poller = await client().beginSend({ ...message('gone@example.com'), recipients: { to: [{ address: 'gone@example.com' }] } }, { updateIntervalInMs: 10 });
    await expect(poller.pollUntilDone()).rejects.toThrow(/EmailDroppedAllRecipientsSuppressed/);
    expect(email.mails()).toEqual([]);
    expect((await sendAndWait('good@example.com')).status).toBe('Succeeded');
  });

  it('stops and restarts on the same port, keeping its mails', async () => {
    await sendAndWait('before@example.com');
    const port = email.port;
    await email.stop();
    const down = await client().beginSend(message('during@example.com')).then(() => null, (e: { code?: string }) => e);
    // A kept-alive socket is reset; a new one is refused.
    expect(down?.code).toMatch(/^ECONN(RESET|REFUSED)$/);
    await email.start();
    expect(email.port).toBe(port);
    await sendAndWait('after@example.com');
    expect(email.mails().map((m) => m.to)).toEqual(['before@example.com', 'after@example.com']);
  });
});

describe('ACS Email stand-in over HTTPS with a bearer token', () => {
  const cert = readFileSync(join(ROOT, 'test/fixtures/keyvault/cert.pem'), 'utf8');
  const key = readFileSync(join(ROOT, 'test/fixtures/keyvault/key.pem'), 'utf8');
  const token = (value: string): TokenCredential => ({
    getToken: async (): Promise<AccessToken> => ({ token: value, expiresOnTimestamp: Date.now() + 3_600_000 }),
  });
  let tlsEmail: EmailStandIn;
  beforeAll(async () => {
    tlsEmail = await startEmailStandIn({ tls: { cert, key }, bearerToken: 'local-entra-token' });
  });
  afterAll(async () => {
    await tlsEmail?.stop();
  });

  it('accepts the configured token and refuses another', async () => {
    const options = { tlsOptions: { ca: cert }, retryOptions: { maxRetries: 0 } };
    const good = new EmailClient(tlsEmail.endpoint, token('local-entra-token'), options);
    const poller = await good.beginSend(message('tls@example.com'), { updateIntervalInMs: 10 });
    expect((await poller.pollUntilDone()).status).toBe('Succeeded');
    const bad = new EmailClient(tlsEmail.endpoint, token('someone-else'), options);
    await expect(bad.beginSend(message('tls@example.com'))).rejects.toMatchObject({ statusCode: 401 });
    expect(tlsEmail.mails().map((m) => m.to)).toEqual(['tls@example.com']);
  });
});
