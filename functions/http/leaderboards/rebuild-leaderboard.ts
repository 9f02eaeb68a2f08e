import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { rebuildIndex } from '../../core/leaderboards/leaderboards.js';
import { rankQuery } from '../../core/leaderboards/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { rebuildResult } from './contract.js';

/** POST /api/admin/leaderboards/{id}/rebuild?period=: the Redis index again from the Cosmos records. */
export async function rebuildLeaderboard(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'leaderboards'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await rebuildIndex(services.leaderboards, caller, routeParam(request, 'id'), readQuery(request, rankQuery).period));
}

httpFunction('rebuildLeaderboard', {
  route: 'admin/leaderboards/{id}/rebuild',
  tag: 'leaderboards',
  handler: rebuildLeaderboard,
  operations: {
    POST: {
      summary: "Rebuild a leaderboard's Redis index from Cosmos DB",
      description: 'Admins. For after Redis lost its data; readers see the old index until the new one is complete.',
      auth: 'bearer',
      query: rankQuery,
      responses: { 200: { description: 'How many entries the index now holds.', body: rebuildResult } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
