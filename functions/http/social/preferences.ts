import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { getPreferences } from '../../core/social/settings.js';
import { preferencesView } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { httpEtag, json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** GET /api/me/preferences: the caller's preferences document ({} until written), with its ETag. */
export async function preferences(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { value, etag } = await getPreferences(services.social, caller);
  return json(200, value, httpEtag(etag));
}

httpFunction('preferences', {
  route: 'me/preferences',
  tag: 'social',
  handler: preferences,
  operations: {
    GET: {
      summary: 'Read your preferences',
      auth: 'bearer',
      responses: { 200: { description: 'The document; no ETag until it is first written.', body: preferencesView, headers: { ETag: 'The version, for If-Match.' } } },
      problems: [401, 403, 503],
    },
  },
});
