import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { listGames as list } from '../../core/catalog/catalog.js';
import { gameListQuery } from '../../core/catalog/schemas.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { gamePage } from './contract.js';

/** GET /api/games?genre=&search=&limit=&cursor=: the catalog, by title, for anyone. */
export async function listGames(request: HttpRequest, services: Pick<Services, 'catalog'>): Promise<HttpResponseInit> {
  return json(200, await list(services.catalog, readQuery(request, gameListQuery)));
}

httpFunction('listGames', {
  route: 'games',
  tag: 'catalog',
  handler: listGames,
  operations: {
    GET: {
      summary: 'List the game catalog',
      description: 'genre matches exactly, search is part of the title; both ignore case. Sorted by title.',
      auth: 'public',
      query: gameListQuery,
      responses: { 200: { description: 'A page of games.', body: gamePage } },
      problems: [400, 503],
    },
  },
});
