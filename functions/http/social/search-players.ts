import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { playerSearchQuery } from '../../core/social/schemas.js';
import { searchPlayers as search } from '../../core/social/search.js';
import { playerPage } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** GET /api/players?search=&limit=&cursor=: players by username prefix, case-insensitive. */
export async function searchPlayers(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await search(services.social, caller, readQuery(request, playerSearchQuery)));
}

httpFunction('searchPlayers', {
  route: 'players',
  tag: 'social',
  handler: searchPlayers,
  operations: {
    GET: {
      summary: 'Search players by username prefix',
      description: 'Case-insensitive, in name order. Players who are not searchable, who block you or whom you block are left out. A Redis index, not a scan.',
      auth: 'bearer',
      query: playerSearchQuery,
      responses: { 200: { description: 'A page of players.', body: playerPage } },
      problems: [400, 401, 503],
    },
  },
});
