/**
 * /api/docs renders every documented operation in headless Chromium (Debian's package), from files
 * this app serves: a request to any other origin fails the test. The screenshot lands in
 * test-artifacts/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startStack, type Stack } from '../support/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`docs.e2e: skipping the browser test: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

describe.skipIf(!haveChromium)('GET /api/docs in headless Chromium', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ label: 'docs' }), chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('renders every operation of /api/openapi.json, loading nothing from elsewhere and breaking no CSP rule', async () => {
    const document = (await (await fetch(`${stack.api}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => ({ path, method })));
    expect(operations.length).toBeGreaterThan(25);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const foreign: string[] = [];
    const consoleErrors: string[] = [];
    const origin = new URL(stack.api).origin;
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });

    const response = await page.goto(`${stack.api}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.opblock', { timeout: 20_000 });

    const shown = await page.$$eval('.opblock', (blocks) =>
      blocks.map((b) => ({
        method: b.querySelector('.opblock-summary-method')?.textContent?.trim().toLowerCase() ?? '',
        path: b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? b.querySelector('.opblock-summary-path')?.textContent?.trim() ?? '',
      })),
    );
    const missing = operations.filter((op) => !shown.some((s) => s.method === op.method && s.path.replace(/\u200b/g, '') === op.path));
    expect(missing).toEqual([]);
    expect(await page.textContent('.info .title')).toContain('player-accounts');

    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'api-docs.png'), fullPage: true });
    expect(foreign).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });
});
