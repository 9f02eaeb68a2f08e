import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { DOCS_CSP, docsAsset, docsHtml } from '../../platform/openapi/docs-page.js';
import { routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import { DomainError } from '../../core/kernel/errors.js';

const SECURITY_HEADERS = { 'Content-Security-Policy': DOCS_CSP, 'X-Content-Type-Options': 'nosniff' };

/** GET /api/docs: the docs page (Swagger UI) over /api/openapi.json. */
export async function docs(request: HttpRequest): Promise<HttpResponseInit> {
  const base = new URL(request.url).pathname.replace(/\/?$/, '/');
  return {
    status: 200,
    body: docsHtml(base),
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' },
  };
}

/** GET /api/docs/{file}: the page's scripts, styles and icons, from the swagger-ui-dist package. */
export async function docsAssets(request: HttpRequest): Promise<HttpResponseInit> {
  const file = docsAsset(routeParam(request, 'path'));
  if (!file) throw new DomainError('NOT_FOUND', 'No such file of the docs page.');
  const headers = { ...SECURITY_HEADERS, ETag: file.etag, 'Cache-Control': 'public, max-age=3600' };
  if (request.headers.get('if-none-match') === file.etag) return { status: 304, headers };
  return { status: 200, body: file.body, headers: { ...headers, 'Content-Type': file.contentType } };
}

httpFunction('docs', {
  route: 'docs',
  tag: 'platform',
  handler: docs,
  operations: {
    GET: {
      summary: 'The API docs page (Swagger UI, served by this app)',
      auth: 'public',
      responses: { 200: { description: 'An HTML page that renders /api/openapi.json.', contentType: 'text/html', headers: { 'Content-Security-Policy': 'Scripts from this app only.' } } },
      problems: [],
    },
  },
});

httpFunction('docsAssets', {
  route: 'docs/{*path}',
  tag: 'platform',
  handler: docsAssets,
  operations: {
    GET: {
      summary: 'A script, style sheet or icon of the docs page',
      auth: 'public',
      headers: { 'If-None-Match': 'An ETag from an earlier answer: 304 when the file is unchanged.' },
      responses: {
        200: { description: 'The file, as text/css, text/javascript or image/png.', contentType: 'application/octet-stream', headers: { ETag: 'The file\'s version.', 'Cache-Control': 'public, max-age=3600' } },
        304: { description: 'Unchanged since the ETag sent as If-None-Match.', headers: { ETag: 'The file\'s version.' } },
      },
      problems: [404],
    },
  },
});
