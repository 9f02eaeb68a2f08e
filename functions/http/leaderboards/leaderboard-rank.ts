import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { playerRank } from '../../core/leaderboards/leaderboards.js';
import { rankQuery } from '../../core/leaderboards/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { playerRank as playerRankBody } from './contract.js';

/** GET /api/leaderboards/{id}/users/{userId}?period=: one player's rank and score. */
export async function leaderboardRank(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'leaderboards'>): Promise<HttpResponseInit> {
  await authenticate(request, services);
  return json(200, await playerRank(services.leaderboards, routeParam(request, 'id'), routeParam(request, 'userId'), readQuery(request, rankQuery)));
}

httpFunction('leaderboardRank', {
  route: 'leaderboards/{id}/users/{userId}',
  tag: 'leaderboards',
  handler: leaderboardRank,
  operations: {
    GET: {
      summary: "One player's rank and score",
      auth: 'bearer',
      query: rankQuery,
      responses: { 200: { description: 'The rank (1 is the top) and the entry.', body: playerRankBody } },
      problems: [400, 401, 404, 503],
    },
  },
});
