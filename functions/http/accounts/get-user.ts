import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { viewProfile } from '../../core/social/profiles.js';
import { authenticate } from '../../platform/auth.js';
import { httpEtag, json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { profileView } from '../social/contract.js';

/**
 * GET /api/users/{id}: the public profile with follower counts (or the public minimum where the
 * player's privacy or a block hides it); the full record for the owner and admins.
 */
export async function getUser(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { view, etag } = await viewProfile(services.social, caller, routeParam(request, 'id'));
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
          description: 'PublicProfile (or RestrictedProfile where privacy or a block hides it) for other callers; the account with follower counts for the owner and admins.',
          body: profileView,
          headers: { ETag: 'The version to send back as If-Match when changing the profile.' },
        },
      },
      problems: [401, 404, 503],
    },
  },
});
