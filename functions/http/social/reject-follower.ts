import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { answerFollowRequest } from '../../core/social/follows.js';
import { followView } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/me/followers/{userId}/reject: the pending follow request is removed. */
export async function rejectFollower(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await answerFollowRequest(services.social, caller, routeParam(request, 'userId'), false));
}

httpFunction('rejectFollower', {
  route: 'me/followers/{userId}/reject',
  tag: 'social',
  handler: rejectFollower,
  operations: {
    POST: {
      summary: 'Reject a pending follow request',
      auth: 'bearer',
      responses: { 200: { description: 'The request is gone (state none).', body: followView } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
