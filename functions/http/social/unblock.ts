import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { unblock as unblockPlayer } from '../../core/social/blocks.js';
import { authenticate } from '../../platform/auth.js';
import { routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/me/blocks/{userId}: lift a block (follows do not come back); idempotent. */
export async function unblock(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  await unblockPlayer(services.social, caller, routeParam(request, 'userId'));
  return { status: 204 };
}

httpFunction('unblock', {
  route: 'me/blocks/{userId}',
  tag: 'social',
  handler: unblock,
  operations: {
    DELETE: {
      summary: 'Unblock a player',
      auth: 'bearer',
      responses: { 204: { description: 'Not blocked (any more).' } },
      problems: [400, 401, 403, 429, 503],
    },
  },
});
