import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { createGame as create } from '../../core/catalog/catalog.js';
import { gameInput } from '../../core/catalog/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { httpEtag, json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { ETAG_HEADER, gameView } from './contract.js';

/** POST /api/games {title, genre, price, description}: admins add a game; gameCreated is published. */
export async function createGame(request: HttpRequest, services: Pick<Services, 'catalog' | 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, gameInput);
  const { view, etag } = await create(services.catalog, caller, input);
  return json(201, view, { ...httpEtag(etag), Location: `/api/games/${encodeURIComponent(view.gameId)}` });
}

httpFunction('createGame', {
  route: 'games',
  tag: 'catalog',
  handler: createGame,
  operations: {
    POST: {
      summary: 'Add a game to the catalog (admins)',
      auth: 'bearer',
      body: gameInput,
      responses: { 201: { description: 'Created.', body: gameView, headers: { ...ETAG_HEADER, Location: 'The new game\'s URL.' } } },
      problems: [400, 401, 403, 413, 415, 503],
    },
  },
});
