import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { deleteGame as remove } from '../../core/catalog/catalog.js';
import { authenticate } from '../../platform/auth.js';
import { routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/games/{id} (If-Match optional): admins remove a game; gameDeleted is published. */
export async function deleteGame(request: HttpRequest, services: Pick<Services, 'catalog' | 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  await remove(services.catalog, caller, routeParam(request, 'id'), request.headers.get('if-match') ?? undefined);
  return { status: 204 };
}

httpFunction('deleteGame', {
  route: 'games/{id}',
  tag: 'catalog',
  handler: deleteGame,
  operations: {
    DELETE: {
      summary: 'Remove a game (admins)',
      auth: 'bearer',
      headers: { 'If-Match': 'Optional: remove only this version.' },
      responses: { 204: { description: 'Removed.' } },
      problems: [401, 403, 404, 412, 503],
    },
  },
});
