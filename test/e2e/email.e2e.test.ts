/** The email flows end to end: the local stack, mails read from the ACS Email stand-in's mailbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startStack, type Stack } from '../support/stack.js';
import { newPlayer, signUp } from '../support/players.js';

interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

let stack: Stack;

async function mailbox(to: string): Promise<Mail[]> {
  const res = await fetch(`${stack.url}/dev/mailbox`, { headers: { accept: 'application/json' } });
  const { items } = (await res.json()) as { items: Mail[] };
  return items.filter((m) => m.to.split(', ').includes(to));
}

/** Waits for a mail to `to` whose subject matches; mails arrive after the request that caused them. */
async function mailTo(to: string, subject: RegExp, timeoutMs = 20_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailbox(to)).find((m) => subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tokenOf(mail: Mail): string {
  const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  expect(token, mail.text).toBeTruthy();
  expect(mail.html).toContain(`#token=${token}`);
  return token as string;
}

function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

beforeAll(async () => {
  stack = await startStack({ label: 'email', env: { EMAIL_RETRY_BASE_SECONDS: '1', EMAIL_DELIVERY_SCHEDULE: '* * * * * *' } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('email verification', () => {
  it('mails a link on sign-up; the token verifies once, shows in the profile and in new access tokens', async () => {
    const player = await signUp(stack);
    expect(player.user).toMatchObject({ emailVerified: false, pendingEmail: null });
    expect(claimsOf(player.accessToken)['email_verified']).toBe(false);

    const mail = await mailTo(player.player.email, /Verify your email/);
    expect(mail.text).toContain(player.player.username);
    const token = tokenOf(mail);

    const verified = await call(`${stack.api}/email/verify`, { body: { token } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toMatchObject({ id: player.user.id, emailVerified: true });

    const again = await call(`${stack.api}/email/verify`, { body: { token } });
    expect(again.status).toBe(400);
    expect(again.body['code']).toBe('INVALID_TOKEN');
    const unknown = await call(`${stack.api}/email/verify`, { body: { token: 'x'.repeat(43) } });
    expect(unknown.body).toMatchObject({ code: 'INVALID_TOKEN', detail: again.body['detail'] });

    const me = await call(`${stack.api}/me`, { token: player.accessToken });
    expect(me.body['emailVerified']).toBe(true);
    const login = await call<{ accessToken: string }>(`${stack.api}/login`, { body: { login: player.player.username, password: player.player.password } });
    expect(claimsOf(login.body.accessToken)['email_verified']).toBe(true);
  });

  it('resends on request, a few times per account, and refuses once verified', async () => {
    const player = await signUp(stack);
    await mailTo(player.player.email, /Verify your email/);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(`${stack.api}/email/verify/resend`, { method: 'POST', token: player.accessToken })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const deadline = Date.now() + 20_000;
    while ((await mailbox(player.player.email)).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const mails = await mailbox(player.player.email);
    expect(mails).toHaveLength(4);
    // Every link works on its own; the newest one verifies.
    const newest = mails[0] as Mail;
    expect((await call(`${stack.api}/email/verify`, { body: { token: tokenOf(newest) } })).status).toBe(200);
  });

  it('sign-up succeeds while the mail service is down; the mail arrives once it is back', async () => {
    await fetch(`${stack.email.endpoint}failures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failNextSends: 1000 }) });
    let player: Awaited<ReturnType<typeof signUp>>;
    try {
      const started = Date.now();
      player = await signUp(stack);
      expect(Date.now() - started).toBeLessThan(3_000);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await mailbox(player.player.email)).toEqual([]);
    } finally {
      await fetch(`${stack.email.endpoint}failures`, { method: 'DELETE' });
    }
    const mail = await mailTo(player.player.email, /Verify your email/, 30_000);
    expect((await call(`${stack.api}/email/verify`, { body: { token: tokenOf(mail) } })).status).toBe(200);
  }, 60_000);

  it('logs a permanently refused address and does not retry it', async () => {
    const player = newPlayer();
    await fetch(`${stack.email.endpoint}failures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rejectRecipient: player.email }) });
    try {
      await signUp(stack, player);
      const deadline = Date.now() + 10_000;
      while (!stack.output().includes('dropped after 1 attempt') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stack.output()).toMatch(/email: verify-email \S+ dropped after 1 attempt\(s\): mail rejected: 400/);
    } finally {
      await fetch(`${stack.email.endpoint}failures`, { method: 'DELETE' });
    }
  });
});

describe('the local link pages', () => {
  it('serve a page per link kind that posts the fragment token to the API', async () => {
    const res = await fetch(`${stack.url}/dev/email/verify-email`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain("fetch('/api/email/verify'");
    expect(html).toContain('location.hash');
    expect((await fetch(`${stack.url}/dev/email/reset-password`)).status).toBe(200);
    expect((await fetch(`${stack.url}/dev/email/nothing`)).status).toBe(404);
  });
});
