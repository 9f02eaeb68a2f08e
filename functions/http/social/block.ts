import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { block as blockPlayer } from '../../core/social/blocks.js';
import { blockView } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/me/blocks/{userId}: block a player; follows both ways end. */
export async function block(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await blockPlayer(services.social, caller, routeParam(request, 'userId')));
}

httpFunction('block', {
  route: 'me/blocks/{userId}',
  tag: 'social',
  handler: block,
  operations: {
    POST: {
      summary: 'Block a player',
      description: 'Removes follows both ways; the blocked player can no longer follow you, see your presence or profile details, or find you in search.',
      auth: 'bearer',
      responses: { 200: { description: 'Blocked.', body: blockView } },
      problems: [400, 401, 403, 404, 429, 503],
    },
  },
});
