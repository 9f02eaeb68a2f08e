import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { unfollow as unfollowPlayer } from '../../core/social/follows.js';
import { authenticate } from '../../platform/auth.js';
import { routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/me/following/{userId}: unfollow, or withdraw a pending request; idempotent. */
export async function unfollow(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  await unfollowPlayer(services.social, caller, routeParam(request, 'userId'));
  return { status: 204 };
}

httpFunction('unfollow', {
  route: 'me/following/{userId}',
  tag: 'social',
  handler: unfollow,
  operations: {
    DELETE: {
      summary: 'Unfollow a player (or withdraw a follow request)',
      auth: 'bearer',
      responses: { 204: { description: 'Not following (any more).' } },
      problems: [400, 401, 403, 429, 503],
    },
  },
});
