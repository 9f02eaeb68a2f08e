import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { listFollows } from '../../core/social/follows.js';
import { listQuery } from '../../core/social/schemas.js';
import { listPage } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** GET /api/users/{id}/following?status=&limit=&cursor=: whom the player follows, newest first. */
export async function following(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await listFollows(services.social, caller, routeParam(request, 'id'), 'following', readQuery(request, listQuery)));
}

httpFunction('following', {
  route: 'users/{id}/following',
  tag: 'social',
  handler: following,
  operations: {
    GET: {
      summary: 'List whom a player follows',
      description: "As visible as the player's profile (403 otherwise). status=pending lists the player's own outstanding requests, for the player themself only.",
      auth: 'bearer',
      query: listQuery,
      responses: { 200: { description: 'Newest first, with presence where visible.', body: listPage } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
