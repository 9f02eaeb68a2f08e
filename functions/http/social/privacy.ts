import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { getPrivacy } from '../../core/social/settings.js';
import { privacyView } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** GET /api/me/privacy: the caller's privacy settings (defaults until changed). */
export async function privacy(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await getPrivacy(services.social, caller));
}

httpFunction('privacy', {
  route: 'me/privacy',
  tag: 'social',
  handler: privacy,
  operations: {
    GET: {
      summary: 'Read your privacy settings',
      auth: 'bearer',
      responses: { 200: { description: 'The settings.', body: privacyView } },
      problems: [401, 403, 503],
    },
  },
});
