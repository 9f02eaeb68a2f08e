/** The console's file server on its own: types, caching, the page for client routes, nothing outside its folder. */
import { HttpRequest } from '@azure/functions';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleAssets, SECURITY_HEADERS } from '../../functions/http/console/console-assets.js';

const parent = mkdtempSync(join(tmpdir(), 'console-assets-'));
const root = join(parent, 'console') + '/';
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(join(root, 'assets', 'index-abc123.css'), 'body{}');
writeFileSync(join(parent, 'secret.txt'), 'not for the web');
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const serve = consoleAssets(root);
const get = (path: string) => serve(new HttpRequest({ method: 'GET', url: `http://localhost/console/${path}`, params: { path } }));
const text = (body: unknown) => Buffer.from(body as Uint8Array).toString('utf8');

describe('GET /console/{*path}', () => {
  it('answers hashed assets with their type, cached for good, and the security headers', async () => {
    const js = await get('assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers).toMatchObject({ ...SECURITY_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable' });
    expect(text(js.body)).toBe('console.log(1)');
    expect((await get('assets/index-abc123.css')).headers).toMatchObject({ 'Content-Type': 'text/css; charset=utf-8' });
  });

  it('answers the page, revalidated every time, for the root and any client route', async () => {
    for (const path of ['', 'index.html', 'players/42', 'moderation']) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      expect(page.headers).toMatchObject({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Frame-Options': 'DENY' });
      expect(text(page.body)).toContain('<title>console</title>');
    }
  });

  it('answers 404 for a missing asset and for any path that steps outside its folder', async () => {
    expect((await get('assets/index-old.js')).status).toBe(404);
    for (const path of ['../secret.txt', 'assets/../../secret.txt', '..\\secret.txt', './index.html']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(text(answer.body ?? '')).not.toContain('not for the web');
    }
  });

  it('sends /console to /console/, so the page resolves its links there', async () => {
    const answer = await serve(new HttpRequest({ method: 'GET', url: 'http://localhost/console', params: {} }));
    expect(answer.status).toBe(308);
    expect(answer.headers).toMatchObject({ Location: '/console/' });
  });
});
