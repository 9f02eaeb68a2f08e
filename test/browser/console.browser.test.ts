/**
 * The admin console (/console/) in headless Chromium (Debian's package) against the local stack:
 * signing in, finding a player, ending a session, banning, refusals, the live list, signing out;
 * moderation and the catalog once the API serves them. Screenshots land in test-artifacts/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, newPlayer, signUp, type Grant, type Player } from '../support/players.js';
import { call, ROOT, startStack, type Stack } from '../support/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`console.browser: skipping: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

const BOOTSTRAP = 'bootstrap-token-for-the-console-test';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
const confirm = (page: Page) => page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();

describe.skipIf(!haveChromium)('the admin console in headless Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let origin: string;
  const adminPlayer: Player = newPlayer();
  let admin: Grant;
  let operations: Set<string>;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ label: 'console', env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP } }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }),
    ]);
    origin = stack.url;
    const first = await signUp(stack, adminPlayer);
    expect((await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token: BOOTSTRAP } })).status).toBe(200);
    admin = await logIn(stack, adminPlayer);
    expect(admin.user.roles).toContain('admin');
    // What the console itself will find: the served OpenAPI document, if any.
    const document = await call<{ paths?: Record<string, Record<string, unknown>> }>(`${stack.api}/openapi.json`);
    operations = new Set(
      document.status === 200 ? Object.entries(document.body.paths ?? {}).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)) : [],
    );
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // Well under the test's own timeout, so a missing element fails with its name.
    page.setDefaultTimeout(10_000);
    return page;
  }

  async function signedInPage(options: { fakeClock?: boolean } = {}): Promise<{ page: Page; foreign: string[] }> {
    const page = await newPage();
    if (options.fakeClock) await page.clock.install();
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin)) foreign.push(request.url());
    });
    await page.goto(`${origin}/console/`);
    await page.getByLabel('Username or email').fill(adminPlayer.username);
    await page.getByLabel('Password').fill(adminPlayer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${adminPlayer.username}`).waitFor();
    return { page, foreign };
  }

  it('serves the page and its assets with their types, caching and security headers; the API stays under /api', async () => {
    const index = await fetch(`${origin}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await index.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script: the CSP would block it

    const asset = await fetch(`${origin}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    // Client routes get the page; a missing hashed asset, a path escaping the folder and anything outside /console/ do not.
    const deep = await fetch(`${origin}/console/players/some-id`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    expect((await fetch(`${origin}/console/assets/index-missing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/console/%2e%2e/%2e%2e/package.json`)).status).not.toBe(200);
    expect((await fetch(`${origin}/console`, { redirect: 'manual' })).headers.get('location')).toBe('/console/');
    expect((await fetch(`${origin}/consoles`)).status).toBe(404);
    expect((await fetch(`${origin}/users`)).status).toBe(404);
    expect((await fetch(`${stack.api}/health`)).status).toBe(200);
  });

  it('refuses an account that is not an admin, with a clear message', async () => {
    const player = await signUp(stack);
    const page = await newPage();
    await page.goto(`${origin}/console/`);
    await shot(page, 'sign-in');
    await page.getByLabel('Username or email').fill(player.player.username);
    await page.getByLabel('Password').fill(player.player.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not an admin');
    await page.close();
  });

  it('finds a player, ends one of their sessions, suspends them until a date and bans them (their tokens stop working)', async () => {
    const target = await signUp(stack);
    const second = await logIn(stack, target.player);
    const { page, foreign } = await signedInPage();

    // Tokens live in memory only.
    expect(await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]')).toEqual([0, 0, '']);

    await page.getByLabel('Username or email starts with').fill(target.player.username.slice(0, -1));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: target.player.username }).waitFor();
    await shot(page, 'players');
    await page.getByRole('link', { name: target.player.username }).click();
    await page.getByRole('heading', { level: 1, name: target.player.username }).waitFor();
    const sessionRows = page.locator('tr[data-session]');
    await expect.poll(() => sessionRows.count()).toBe(2);
    await shot(page, 'player');

    // End the second session: its access token stops working, the first still works.
    await page.locator(`tr[data-session="${second.sessionId}"]`).getByRole('button', { name: /^End session/ }).click();
    await confirm(page);
    await page.getByText('Session ended.').waitFor();
    await expect.poll(() => sessionRows.count()).toBe(1);
    expect((await call(`${stack.api}/me`, { token: second.accessToken })).status).toBe(401);
    expect((await call(`${stack.api}/me`, { token: target.accessToken })).status).toBe(200);

    // Suspend with a reason and an end time: every session ends at once.
    await page.getByLabel('New status').selectOption('suspended');
    await page.getByLabel('Reason').fill('abusive chat');
    await page.getByLabel(/^Until/).fill('2031-01-01T12:00');
    await page.getByRole('button', { name: 'Apply status' }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain(`Suspend ${target.player.username}?`);
    await confirm(page);
    await page.getByText(`${target.player.username} is now suspended.`).waitFor();
    expect((await call(`${stack.api}/me`, { token: target.accessToken })).status).toBe(401);
    const suspended = await call<{ status: string; statusUntil: string }>(`${stack.api}/users/${target.user.id}`, { token: admin.accessToken });
    expect(suspended.body.status).toBe('suspended');
    expect(new Date(suspended.body.statusUntil).getUTCFullYear()).toBe(2031);
    await expect.poll(() => sessionRows.count()).toBe(0);
    await page.getByText('No live session.').waitFor();

    // Ban: logging in again is refused from now on.
    await page.getByLabel('New status').selectOption('banned');
    await page.getByLabel('Reason').fill('cheating in ranked matches');
    await page.getByRole('button', { name: 'Apply status' }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain(`Ban ${target.player.username}?`);
    await confirm(page);
    await page.getByText(`${target.player.username} is now banned.`).waitFor();
    await page.getByText('— cheating in ranked matches').waitFor();
    const banned = await call<{ status: string }>(`${stack.api}/users/${target.user.id}`, { token: admin.accessToken });
    expect(banned.body.status).toBe('banned');
    const again = await call(`${stack.api}/login`, { body: { login: target.player.username, password: target.player.password } });
    expect(again.status).toBeGreaterThanOrEqual(400);
    await shot(page, 'player-banned');

    // Nothing was loaded from anywhere else.
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('shows the refusal detail when the API says no (an admin removing their own admin role)', async () => {
    const { page } = await signedInPage();
    await page.getByLabel('Username or email starts with').fill(adminPlayer.username);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: adminPlayer.username }).click();
    await page.getByRole('button', { name: 'Remove admin role' }).click();
    await confirm(page);
    await expect.poll(() => page.locator('section[aria-labelledby="roles"]').getByRole('alert').textContent()).toBe('Refused: Admins cannot remove their own admin role.');
    // Cancelling a confirmation does nothing.
    await page.getByRole('button', { name: 'Remove admin role' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').isVisible()).toBe(false);
    await page.close();
  });

  it('lists who is online on the Live page, refreshed every 5 seconds', async () => {
    const early = await signUp(stack);
    expect((await call(`${stack.api}/user-status`, { method: 'PUT', token: early.accessToken, body: { status: 'online' } })).status).toBe(200);
    // The page's clock is ours: five seconds pass when the test says so.
    const { page } = await signedInPage({ fakeClock: true });
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByRole('link', { name: early.player.username }).waitFor();
    const count = Number(await page.locator('#online-count').textContent());
    expect(count).toBeGreaterThanOrEqual(1);
    // Someone who comes online after the page loaded shows up with the next refresh.
    const late = await signUp(stack);
    expect((await call(`${stack.api}/user-status`, { method: 'PUT', token: late.accessToken, body: { status: 'in-game' } })).status).toBe(200);
    await page.clock.runFor(4_000);
    expect(await page.getByRole('link', { name: late.player.username }).count()).toBe(0);
    await page.clock.runFor(1_000);
    await page.getByRole('link', { name: late.player.username }).waitFor();
    expect(Number(await page.locator('#online-count').textContent())).toBeGreaterThan(count);
    await shot(page, 'live');
    await page.close();
  });

  it('refreshes the tokens silently before they expire, and signing out ends the session', async () => {
    const page = await newPage();
    await page.clock.install();
    let bearer: string | null = null;
    page.on('request', (request) => {
      const auth = request.headers()['authorization'];
      if (auth?.startsWith('Bearer ')) bearer = auth.slice('Bearer '.length);
    });
    await page.goto(`${origin}/console/`);
    await page.getByLabel('Username or email').fill(adminPlayer.username);
    await page.getByLabel('Password').fill(adminPlayer.password);
    // The first call with the token may leave a moment after the header shows who signed in.
    const authenticated = page.waitForRequest((r) => r.headers()['authorization']?.startsWith('Bearer ') === true);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${adminPlayer.username}`).waitFor();
    await authenticated;
    const firstToken = bearer;
    expect(firstToken).not.toBeNull();

    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/token/refresh'));
    await page.clock.fastForward(admin.expiresIn * 1000);
    expect((await refreshed).status()).toBe(200);
    await page.getByRole('link', { name: 'Live' }).click();
    await page.locator('#online-count').waitFor();
    expect(bearer).not.toBe(firstToken);

    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/logout'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await loggedOut).status()).toBe(204);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await call(`${stack.api}/me`, { token: bearer as unknown as string })).status).toBe(401);
    await page.close();
  });

  it('shows Moderation and Catalog exactly when the API serves them', async () => {
    const { page } = await signedInPage();
    const nav = page.getByRole('navigation', { name: 'Sections' });
    const moderation = operations.has('GET /api/admin/reports') && operations.has('POST /api/admin/reports/{id}/resolve');
    const catalog = ['GET /api/games', 'POST /api/games', 'PUT /api/games/{id}', 'DELETE /api/games/{id}'].every((op) => operations.has(op));
    expect(await nav.getByRole('link', { name: 'Moderation' }).count()).toBe(moderation ? 1 : 0);
    expect(await nav.getByRole('link', { name: 'Catalog' }).count()).toBe(catalog ? 1 : 0);
    if (moderation) await resolvesAReport(page);
    if (catalog) await editsAGame(page);
    await page.close();
  });

  async function resolvesAReport(page: Page) {
    const [reporter, reported] = await Promise.all([signUp(stack), signUp(stack)]);
    const filed = await call<{ id: string }>(`${stack.api}/users/${reported.user.id}/reports`, { token: reporter.accessToken, body: { category: 'spam', details: 'sells gold in chat' } });
    expect(filed.status, JSON.stringify(filed.body)).toBeLessThan(300);
    await page.getByRole('link', { name: 'Moderation' }).click();
    const item = page.locator(`li[data-report="${filed.body.id}"]`);
    await item.waitFor();
    await shot(page, 'moderation');
    await item.getByLabel('Action').selectOption('warn');
    await item.getByLabel('Note').fill('first warning');
    await item.getByRole('button', { name: 'Resolve' }).click();
    await confirm(page);
    await item.waitFor({ state: 'detached' });
    const open = await call<{ items: { id: string }[] }>(`${stack.api}/admin/reports?status=open&limit=100`, { token: admin.accessToken });
    expect(open.body.items.map((r) => r.id)).not.toContain(filed.body.id);
  }

  async function editsAGame(page: Page) {
    const created = await call<{ gameId: string }>(`${stack.api}/games`, { token: admin.accessToken, body: { title: 'Star Miner', genre: 'arcade', price: { amount: '4.99', currency: 'EUR' }, description: '' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('button', { name: 'Edit Star Miner' }).click();
    await page.getByLabel('Title').fill('Star Miner Deluxe');
    await page.getByLabel('Price').fill('5.49');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await confirm(page);
    await page.getByRole('cell', { name: 'Star Miner Deluxe', exact: true }).waitFor();
    await shot(page, 'catalog');
    const game = await call<{ title: string; price: { amount: string } }>(`${stack.api}/games/${created.body.gameId}`);
    expect(game.body).toMatchObject({ title: 'Star Miner Deluxe', price: { amount: '5.49' } });
  }
});
