import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { aroundPlayer } from '../../core/leaderboards/leaderboards.js';
import { aroundQuery } from '../../core/leaderboards/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { aroundPage } from './contract.js';

/** GET /api/leaderboards/{id}/around/{userId}?limit=&period=: the entries around one player. */
export async function leaderboardAround(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'leaderboards'>): Promise<HttpResponseInit> {
  await authenticate(request, services);
  return json(200, await aroundPlayer(services.leaderboards, routeParam(request, 'id'), routeParam(request, 'userId'), readQuery(request, aroundQuery)));
}

httpFunction('leaderboardAround', {
  route: 'leaderboards/{id}/around/{userId}',
  tag: 'leaderboards',
  handler: leaderboardAround,
  operations: {
    GET: {
      summary: 'The entries around one player',
      description: 'Any signed-in caller. The player is in the middle, except near either end of the board.',
      auth: 'bearer',
      query: aroundQuery,
      responses: { 200: { description: 'About `limit` entries, best first.', body: aroundPage } },
      problems: [400, 401, 404, 503],
    },
  },
});
