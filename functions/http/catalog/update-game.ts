import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { updateGame as update } from '../../core/catalog/catalog.js';
import { gameInput } from '../../core/catalog/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { httpEtag, json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { ETAG_HEADER, gameView } from './contract.js';

/** PUT /api/games/{id} (If-Match required): admins replace a game; gameUpdated is published. */
export async function updateGame(request: HttpRequest, services: Pick<Services, 'catalog' | 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, gameInput);
  const { view, etag } = await update(services.catalog, caller, routeParam(request, 'id'), input, request.headers.get('if-match') ?? undefined);
  return json(200, view, httpEtag(etag));
}

httpFunction('updateGame', {
  route: 'games/{id}',
  tag: 'catalog',
  handler: updateGame,
  operations: {
    PUT: {
      summary: 'Replace a game (admins)',
      auth: 'bearer',
      headers: { 'If-Match': 'Required: the ETag from the last read ("*": whatever the version).' },
      body: gameInput,
      responses: { 200: { description: 'The game as stored now.', body: gameView, headers: ETAG_HEADER } },
      problems: [400, 401, 403, 404, 412, 413, 415, 428, 503],
    },
  },
});
