/** npm start's email and identity stand-ins: the host's settings and the local-only /dev/mailbox page. */
import { existsSync, readFileSync } from 'node:fs';
import { EmailClient } from '@azure/communication-email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'stand-ins', args: ['--identity-stand-ins'] });
});
afterAll(async () => {
  await stack?.stop();
});

const HAS_PROC = existsSync('/proc/self/environ');
/** The functions host's environment, as the app will read its settings (Linux: /proc). */
function hostEnv(): Record<string, string> {
  const raw = readFileSync(`/proc/${stack.pids.host}/environ`, 'utf8');
  return Object.fromEntries(raw.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

async function send(to: string, subject: string, plainText: string, html: string): Promise<void> {
  const client = new EmailClient(stack.email.connectionString, { allowInsecureConnection: true });
  const poller = await client.beginSend({ senderAddress: 'DoNotReply@local.test', content: { subject, plainText, html }, recipients: { to: [{ address: to }] } }, { updateIntervalInMs: 10 });
  expect((await poller.pollUntilDone()).status).toBe('Succeeded');
}

describe('local stand-ins of npm start', () => {
  it.skipIf(!HAS_PROC)('gives the host the email and identity settings', () => {
    const env = hostEnv();
    expect(env['EMAIL_ENDPOINT']).toBe(stack.email.endpoint);
    expect(env['EMAIL_CONNECTION_STRING']).toBe(stack.email.connectionString);
    expect(env['EMAIL_CONNECTION_STRING']).toMatch(/^endpoint=http:\/\/127\.0\.0\.1:\d+\/;accesskey=[A-Za-z0-9+/=]+$/);
    expect(env['EMAIL_SENDER']).toBe('DoNotReply@local.test');
    expect(env['IDENTITY_STAND_IN_OIDC_ISSUER']).toBe(stack.oidcIssuer);
    expect(env['STEAM_WEB_API_URL']).toBe(stack.steamWebApiUrl);
    expect(env['STEAM_APP_ID']).toBe('480');
  });

  it('serves working identity stand-ins at the printed URLs', async () => {
    const config = (await (await fetch(`${stack.oidcIssuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(config.issuer).toBe(stack.oidcIssuer);
    const { ticket } = (await (await fetch(`${stack.steamWebApiUrl}/mint`, { method: 'POST', body: '{"steamId":"76561197960287930"}' })).json()) as { ticket: string };
    const query = new URLSearchParams({ key: 'local-steam-publisher-key', appid: '480', ticket });
    const answer = (await (await fetch(`${stack.steamWebApiUrl}/ISteamUserAuth/AuthenticateUserTicket/v1/?${query}`)).json()) as { response: { params?: { steamid: string } } };
    expect(answer.response.params?.steamid).toBe('76561197960287930');
    expect(stack.output()).toContain(`oidc: ${stack.oidcIssuer}`);
  });

  it('lists sent mails at /dev/mailbox, newest first: HTML with links and nothing executable, JSON on request', async () => {
    await send('first@example.com', 'Verify your email', 'Open http://localhost:7071/verify?code=111&u=1 to verify.', '<p><a href="http://localhost:7071/verify?code=111&amp;u=1">Verify</a></p>');
    await send('second@example.com', 'Reset <script>alert(1)</script>', 'Reset: https://example.test/reset?t=abc"><script>x()</script>', '<img src=x onerror="alert(1)">');

    const json = await fetch(`${stack.url}/dev/mailbox`, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toContain('application/json');
    const { items } = (await json.json()) as { items: { to: string; subject: string; text: string; html: string; sentAt: string }[] };
    expect(items.map((m) => m.to)).toEqual(['second@example.com', 'first@example.com']);
    expect(items[1]).toMatchObject({ subject: 'Verify your email', text: expect.stringContaining('code=111'), html: expect.stringContaining('<a href=') });
    expect(Date.parse(items[0]?.sentAt ?? '')).toBeGreaterThanOrEqual(Date.parse(items[1]?.sentAt ?? ''));

    const page = await fetch(`${stack.url}/dev/mailbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html.indexOf('second@example.com')).toBeLessThan(html.indexOf('first@example.com'));
    expect(html).toContain('<a href="http://localhost:7071/verify?code=111&amp;u=1">');
    expect(html).toContain('<a href="https://example.test/reset?t=abc">');
    expect(html).not.toMatch(/<script|<img|onerror="/i);
    expect(html).toContain('Reset &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps the page off the API routes', async () => {
    const response = await fetch(`${stack.api}/dev/mailbox`);
    expect(response.status).toBe(404);
  });
});
