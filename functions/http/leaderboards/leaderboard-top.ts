import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { topOfBoard } from '../../core/leaderboards/leaderboards.js';
import { topQuery } from '../../core/leaderboards/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { boardPage } from './contract.js';

/** GET /api/leaderboards/{id}?limit=&cursor=&period=: the top. */
export async function leaderboardTop(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'leaderboards'>): Promise<HttpResponseInit> {
  await authenticate(request, services);
  return json(200, await topOfBoard(services.leaderboards, routeParam(request, 'id'), readQuery(request, topQuery)));
}

httpFunction('leaderboardTop', {
  route: 'leaderboards/{id}',
  tag: 'leaderboards',
  handler: leaderboardTop,
  operations: {
    GET: {
      summary: 'The top of a leaderboard',
      description: 'Any signed-in caller. `period` reads a finished period of a board that resets; ties rank by who reached the score first.',
      auth: 'bearer',
      query: topQuery,
      responses: { 200: { description: 'One page, best first.', body: boardPage } },
      problems: [400, 401, 404, 503],
    },
  },
});
