import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { getGame as get } from '../../core/catalog/catalog.js';
import { httpEtag, json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { ETAG_HEADER, gameView } from './contract.js';

/** GET /api/games/{id}: one game, with its ETag, for anyone. */
export async function getGame(request: HttpRequest, services: Pick<Services, 'catalog'>): Promise<HttpResponseInit> {
  const { view, etag } = await get(services.catalog, routeParam(request, 'id'));
  return json(200, view, httpEtag(etag));
}

httpFunction('getGame', {
  route: 'games/{id}',
  tag: 'catalog',
  handler: getGame,
  operations: {
    GET: {
      summary: 'Read one game',
      auth: 'public',
      responses: { 200: { description: 'The game.', body: gameView, headers: ETAG_HEADER } },
      problems: [404, 503],
    },
  },
});
