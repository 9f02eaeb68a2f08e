/**
 * GET /console/{*path}: the admin console's built files (dist/console, from `npm run build`).
 * Hashed assets are immutable; index.html is revalidated every time and answers any other path
 * under /console/ so the page's own router can take it. Registered with app.http, not
 * httpFunction: it lives outside /api and is no part of the API contract.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** From dist/functions/http/console/ to dist/console/, in the project and in the deployed package. */
export const CONSOLE_ROOT = fileURLToPath(new URL('../../../console/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page talks to this origin only and nobody may frame it (clickjacking an admin). */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Vite names every file under assets/ by its content hash, so a cached copy never goes stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function notFound(): HttpResponseInit {
  return { status: 404, body: 'Not found', headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': REVALIDATE } };
}

async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
    throw error;
  }
}

export function consoleAssets(root: string = CONSOLE_ROOT) {
  return async function serve(request: HttpRequest): Promise<HttpResponseInit> {
    const url = new URL(request.url);
    // Relative links inside the page resolve against /console/, not /.
    if (url.pathname === '/console') return { status: 308, headers: { ...SECURITY_HEADERS, Location: '/console/' } };
    const segments = (request.params['path'] ?? '').split('/').filter((s) => s !== '');
    // The host has decoded the path: refuse anything that could step outside the folder.
    if (segments.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0'))) return notFound();
    const relative = segments.join('/');
    const path = join(root, ...segments);
    const isAsset = segments[0] === 'assets';
    const file = relative === '' ? null : await readIfPresent(path);
    if (file) {
      const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
      return { status: 200, body: file, headers: { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': isAsset ? IMMUTABLE : REVALIDATE } };
    }
    // A missing hashed file is a stale page asking for an old build: 404, not the page.
    if (isAsset) return notFound();
    const index = await readIfPresent(join(root, 'index.html'));
    if (!index) return notFound();
    return { status: 200, body: index, headers: { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES['.html'] as string, 'Cache-Control': REVALIDATE } };
  };
}

app.http('console', { route: 'console/{*path}', methods: ['GET', 'HEAD'], authLevel: 'anonymous', handler: consoleAssets() });
