/** Forgot/reset password and email change end to end, mails read from the ACS Email stand-in's mailbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startStack, type Stack } from '../support/stack.js';
import { newPlayer, signUp } from '../support/players.js';

interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

let stack: Stack;

async function mailbox(to: string): Promise<Mail[]> {
  const res = await fetch(`${stack.url}/dev/mailbox`, { headers: { accept: 'application/json' } });
  return ((await res.json()) as { items: Mail[] }).items.filter((m) => m.to.split(', ').includes(to));
}

async function mailTo(to: string, subject: RegExp, timeoutMs = 20_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailbox(to)).find((m) => subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const tokenOf = (mail: Mail) => /#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

beforeAll(async () => {
  // Per-address throttling is tested on its own below; the timing run asks 20 times per address.
  stack = await startStack({ label: 'email-pw', env: { PASSWORD_FORGOT_ADDRESS_LIMIT: '25/3600', PASSWORD_FORGOT_IP_LIMIT: '100000/60', EMAIL_DELIVERY_SCHEDULE: '* * * * * *' } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('forgot and reset password', () => {
  it('answers a known and an unknown address alike: status, body and time over 20 tries', async () => {
    const known = await signUp(stack);
    const unknown = newPlayer().email;
    const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    const bodies = new Set<string>();
    const pairs = [['known', known.player.email], ['unknown', unknown]] as const;
    for (let i = 0; i < 20; i++) {
      // Alternating order, with a pause for the mail each request starts in the background.
      for (const [kind, email] of i % 2 === 0 ? pairs : [...pairs].reverse()) {
        await new Promise((r) => setTimeout(r, 100));
        const started = performance.now();
        const res = await call(`${stack.api}/password/forgot`, { body: { email } });
        times[kind].push(performance.now() - started);
        expect(res.status).toBe(202);
        bodies.add(JSON.stringify(res.body));
      }
    }
    expect(bodies.size).toBe(1);
    const [k, u] = [median(times.known), median(times.unknown)];
    console.info(`forgot-password median latency: known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`);
    expect(Math.abs(k - u)).toBeLessThan(Math.max(15, 0.5 * Math.min(k, u)));
    await mailTo(known.player.email, /Reset your/);
    expect(await mailbox(unknown)).toEqual([]);
  }, 60_000);

  it('throttles per address', async () => {
    const email = newPlayer().email;
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++) statuses.push((await call(`${stack.api}/password/forgot`, { body: { email } })).status);
    expect(statuses.slice(0, 25).every((s) => s === 202)).toBe(true);
    expect(statuses[25]).toBe(429);
  });

  it('sets the password, ends every session and token, mails a notice; the token works once', async () => {
    const player = await signUp(stack);
    const second = await call<{ refreshToken: string; accessToken: string }>(`${stack.api}/login`, { body: { login: player.player.username, password: player.player.password } });
    expect((await call(`${stack.api}/password/forgot`, { body: { email: player.player.email.toUpperCase() } })).status).toBe(202);
    const token = tokenOf(await mailTo(player.player.email, /Reset your/));
    const newPassword = 'a brand new passphrase';

    const reset = await call(`${stack.api}/password/reset`, { body: { token, newPassword } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(204);
    const reused = await call(`${stack.api}/password/reset`, { body: { token, newPassword: 'yet another passphrase' } });
    expect(reused.status).toBe(400);
    expect(reused.body['code']).toBe('INVALID_TOKEN');

    expect((await call(`${stack.api}/me`, { token: player.accessToken })).status).toBe(401);
    expect((await call(`${stack.api}/me`, { token: second.body.accessToken })).status).toBe(401);
    expect((await call(`${stack.api}/token/refresh`, { body: { refreshToken: second.body.refreshToken } })).status).toBe(401);
    expect((await call(`${stack.api}/login`, { body: { login: player.player.username, password: player.player.password } })).status).toBe(401);
    expect((await call(`${stack.api}/login`, { body: { login: player.player.username, password: newPassword } })).status).toBe(200);
    await mailTo(player.player.email, /password was changed/);
  });

  it('refuses a verification token as a reset token', async () => {
    const player = await signUp(stack);
    const token = tokenOf(await mailTo(player.player.email, /Verify your email/));
    const res = await call(`${stack.api}/password/reset`, { body: { token, newPassword: 'a brand new passphrase' } });
    expect(res.body['code']).toBe('INVALID_TOKEN');
  });
});

describe('email change', () => {
  it('mails the new address a confirmation and the old one a notice; the change waits for the confirmation', async () => {
    const player = await signUp(stack);
    const newEmail = newPlayer().email;
    const patched = await call(`${stack.api}/users/${player.user.id}`, { method: 'PATCH', token: player.accessToken, body: { email: newEmail } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ email: player.player.email, pendingEmail: newEmail });

    const notice = await mailTo(player.player.email, /Email change requested/);
    expect(notice.text).toContain(newEmail);
    const confirm = await mailTo(newEmail, /Confirm your new email/);
    expect((await call(`${stack.api}/login`, { body: { login: newEmail, password: player.player.password } })).status).toBe(401);

    const confirmed = await call(`${stack.api}/email/change/confirm`, { body: { token: tokenOf(confirm) } });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ email: newEmail, pendingEmail: null, emailVerified: true });
    expect((await call(`${stack.api}/login`, { body: { login: newEmail, password: player.player.password } })).status).toBe(200);
    expect((await call(`${stack.api}/login`, { body: { login: player.player.email, password: player.player.password } })).status).toBe(401);
    expect((await call(`${stack.api}/email/change/confirm`, { body: { token: tokenOf(confirm) } })).body['code']).toBe('INVALID_TOKEN');
    // The old address is free again.
    expect((await call(`${stack.api}/signup`, { body: { ...newPlayer(), email: player.player.email } })).status).toBe(201);
  });

  it('moves the claim atomically: of two accounts confirming the same address, and a sign-up racing them, exactly one wins', async () => {
    const target = newPlayer().email;
    const [a, b] = await Promise.all([signUp(stack), signUp(stack)]);
    for (const p of [a, b]) {
      const res = await call(`${stack.api}/users/${p.user.id}`, { method: 'PATCH', token: p.accessToken, body: { email: target } });
      expect(res.status).toBe(200);
    }
    const deadline = Date.now() + 20_000;
    while ((await mailbox(target)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const tokens = (await mailbox(target)).map(tokenOf);
    expect(tokens).toHaveLength(2);

    const results = await Promise.all([
      ...tokens.map((token) => call(`${stack.api}/email/change/confirm`, { body: { token } })),
      call(`${stack.api}/signup`, { body: { ...newPlayer(), email: target } }),
    ]);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200 || s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);

    // Every account still logs in with exactly one address, and the target names exactly one account.
    const byTarget = await call<{ user: { id: string } }>(`${stack.api}/login`, { body: { login: target, password: a.player.password } });
    expect(byTarget.status).toBe(200);
    for (const p of [a, b]) {
      const winner = byTarget.body.user.id === p.user.id;
      const old = await call(`${stack.api}/login`, { body: { login: p.player.email, password: p.player.password } });
      expect(old.status).toBe(winner ? 401 : 200);
    }
  });
});
