import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { httpFunction } from '../../platform/openapi/routes.js';
import { createHash } from 'node:crypto';
import { once } from '../../core/kernel/once.js';

let etag: string | undefined;
// zod-to-openapi and the document are loaded by the first request for it, not with the app.
const loadDocuments = once(() => import('../../platform/openapi/document.js'));

/** GET /api/openapi.json: the API contract, built from every registered HTTP function. */
export async function openApiJson(request: HttpRequest): Promise<HttpResponseInit> {
  const { json } = (await loadDocuments()).openApiDocument();
  etag ??= `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
  const headers = { ETag: etag, 'Cache-Control': 'public, max-age=300' };
  if (request.headers.get('if-none-match') === etag) return { status: 304, headers };
  return { status: 200, body: json, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } };
}

httpFunction('openApiJson', {
  route: 'openapi.json',
  tag: 'platform',
  handler: openApiJson,
  operations: {
    GET: {
      summary: 'This document: the API contract (OpenAPI 3.1)',
      auth: 'public',
      headers: { 'If-None-Match': 'An ETag from an earlier answer: 304 when the document is unchanged.' },
      responses: {
        200: {
          description: 'The OpenAPI document.',
          body: z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }).meta({ id: 'OpenApiDocument' }),
          headers: { ETag: 'The document\'s version.', 'Cache-Control': 'public, max-age=300' },
        },
        304: { description: 'Unchanged since the ETag sent as If-None-Match.', headers: { ETag: 'The document\'s version.' } },
      },
      problems: [],
    },
  },
});
