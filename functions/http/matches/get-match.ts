import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { getLiveMatch } from '../../core/matches/matches.js';
import { authenticate } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { liveMatch } from './contract.js';

/** GET /api/matches/{id}: a live match (game servers, admins). */
export async function getMatch(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'matches'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await getLiveMatch(services.matches, caller, routeParam(request, 'id')));
}

httpFunction('getMatch', {
  route: 'matches/{id}',
  tag: 'matches',
  handler: getMatch,
  operations: {
    GET: {
      summary: 'A live match',
      description: 'Game servers and admins. 404 once it has ended or expired.',
      auth: 'bearer',
      responses: { 200: { description: 'The live match.', body: liveMatch } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
