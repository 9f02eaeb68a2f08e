import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { getUser as get } from '../../core/accounts/profiles.js';
import { authenticate } from '../../platform/auth.js';
import { httpEtag, json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { anyUserView } from './contract.js';

/** GET /api/users/{id}: the public profile; the full record for the owner and admins. */
export async function getUser(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { view, etag } = await get(services.accounts, caller, routeParam(request, 'id'));
  return json(200, view, httpEtag(etag));
}

httpFunction('getUser', {
  route: 'users/{id}',
  tag: 'accounts',
  handler: getUser,
  operations: {
    GET: {
      summary: 'Read a user: the public profile, or the full record for the owner and admins',
      auth: 'bearer',
      responses: {
        200: {
          description: 'PublicUser for other callers, User for the owner, AdminUser for admins.',
          body: anyUserView,
          headers: { ETag: 'The version to send back as If-Match when changing the profile.' },
        },
      },
      problems: [401, 404, 503],
    },
  },
});
