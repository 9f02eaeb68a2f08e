import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { follow as followPlayer } from '../../core/social/follows.js';
import { followView } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/me/following/{userId}: follow a player (pending when their privacy asks for approval). */
export async function follow(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await followPlayer(services.social, caller, routeParam(request, 'userId')));
}

httpFunction('follow', {
  route: 'me/following/{userId}',
  tag: 'social',
  handler: follow,
  operations: {
    POST: {
      summary: 'Follow a player',
      description: 'Active at once, or pending until they accept when their privacy sets followApproval. Refused (403) between players where one blocks the other.',
      auth: 'bearer',
      responses: { 200: { description: 'The follow and its state.', body: followView } },
      problems: [400, 401, 403, 404, 429, 503],
    },
  },
});
