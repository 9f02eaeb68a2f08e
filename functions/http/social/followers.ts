import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { listFollows } from '../../core/social/follows.js';
import { listQuery } from '../../core/social/schemas.js';
import { listPage } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** GET /api/users/{id}/followers?status=&limit=&cursor=: who follows the player, newest first. */
export async function followers(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await listFollows(services.social, caller, routeParam(request, 'id'), 'followers', readQuery(request, listQuery)));
}

httpFunction('followers', {
  route: 'users/{id}/followers',
  tag: 'social',
  handler: followers,
  operations: {
    GET: {
      summary: "List a player's followers",
      description: "As visible as the player's profile (403 otherwise). status=pending lists follow requests, for the player themself only. Players who block the caller, or whom the caller blocks, are left out.",
      auth: 'bearer',
      query: listQuery,
      responses: { 200: { description: 'Newest first, with presence where visible.', body: listPage } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
