import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { preferencesDocument } from '../../core/social/schemas.js';
import { writePreferences } from '../../core/social/settings.js';
import { preferencesView } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { httpEtag, json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** PUT /api/me/preferences: replace the document; If-Match makes it conditional. */
export async function putPreferences(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const document = await readJson(request, preferencesDocument, { maxBytes: services.social.preferencesMaxBytes + 1024 });
  const { value, etag } = await writePreferences(services.social, caller, document, 'replace', request.headers.get('if-match') ?? undefined);
  return json(200, value, httpEtag(etag));
}

httpFunction('putPreferences', {
  route: 'me/preferences',
  tag: 'social',
  handler: putPreferences,
  operations: {
    PUT: {
      summary: 'Replace your preferences',
      description: 'Any JSON object (language, notifications, game options) of at most 16 KiB, nested at most 32 levels.',
      auth: 'bearer',
      headers: { 'If-Match': 'The ETag last read: 412 if the document changed since.' },
      body: preferencesDocument,
      responses: { 200: { description: 'The stored document.', body: preferencesView, headers: { ETag: 'The new version.' } } },
      problems: [400, 401, 403, 412, 413, 415, 503],
    },
  },
});
