import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { reportResult } from '../../core/matches/matches.js';
import { matchResultInput } from '../../core/matches/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { resultAnswer } from './contract.js';

/** POST /api/matches/{id}/result: ends the match and applies its result, exactly once. */
export async function matchResult(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'matches'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, matchResultInput, { maxBytes: 256 * 1024 });
  const answer = await reportResult(services.matches, caller, routeParam(request, 'id'), input);
  return json(answer.replayed ? 200 : 201, answer);
}

httpFunction('matchResult', {
  route: 'matches/{id}/result',
  tag: 'matches',
  handler: matchResult,
  operations: {
    POST: {
      summary: 'Report the result of a match',
      description:
        "Game servers. Records the result, then updates each player's stats, submits to the leaderboards that take it and credits earnings. " +
        'The same result again changes nothing twice (200, `replayed`); a different result for the same match is 409.',
      auth: 'bearer',
      body: matchResultInput,
      responses: {
        201: { description: 'Recorded and applied.', body: resultAnswer },
        200: { description: 'Recorded before; any step left undone has been finished.', body: resultAnswer },
      },
      problems: [400, 401, 403, 409, 413, 415, 503],
    },
  },
});
