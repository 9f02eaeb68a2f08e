import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { putLiveMatch } from '../../core/matches/matches.js';
import { liveMatchInput } from '../../core/matches/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { liveMatch } from './contract.js';

/** PUT /api/matches/{id}: create or update a live match (game servers). */
export async function putMatch(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'matches'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, liveMatchInput);
  const { match, created } = await putLiveMatch(services.matches, caller, routeParam(request, 'id'), input);
  return json(created ? 201 : 200, match);
}

httpFunction('putMatch', {
  route: 'matches/{id}',
  tag: 'matches',
  handler: putMatch,
  operations: {
    PUT: {
      summary: 'Create or update a live match',
      description: 'Game servers. Kept in Redis for MATCH_TTL_SECONDS after the last update; `state` up to 16 KiB of JSON. 409 once the match has a result.',
      auth: 'bearer',
      body: liveMatchInput,
      responses: { 201: { description: 'Created.', body: liveMatch }, 200: { description: 'Updated.', body: liveMatch } },
      problems: [400, 401, 403, 409, 413, 415, 503],
    },
  },
});
