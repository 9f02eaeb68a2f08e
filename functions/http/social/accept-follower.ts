import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { answerFollowRequest } from '../../core/social/follows.js';
import { followView } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/me/followers/{userId}/accept: the pending follow request becomes an active follow. */
export async function acceptFollower(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await answerFollowRequest(services.social, caller, routeParam(request, 'userId'), true));
}

httpFunction('acceptFollower', {
  route: 'me/followers/{userId}/accept',
  tag: 'social',
  handler: acceptFollower,
  operations: {
    POST: {
      summary: 'Accept a pending follow request',
      auth: 'bearer',
      responses: { 200: { description: 'The follow, now active.', body: followView } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
