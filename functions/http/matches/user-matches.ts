import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { pageQuery } from '../../core/kernel/paging.js';
import { matchHistory } from '../../core/matches/matches.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { historyPage } from './contract.js';

/** GET /api/users/{id}/matches?limit=&cursor=: the player's matches, newest first. */
export async function userMatches(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'matches'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await matchHistory(services.matches, caller, routeParam(request, 'id'), readQuery(request, pageQuery)));
}

httpFunction('userMatches', {
  route: 'users/{id}/matches',
  tag: 'matches',
  handler: userMatches,
  operations: {
    GET: {
      summary: "A player's match history, newest first",
      description: 'The owner, game servers and admins; each match with this player\'s outcome, score, earnings and stats.',
      auth: 'bearer',
      query: pageQuery,
      responses: { 200: { description: 'One page of matches.', body: historyPage } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
