import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { endAllSessionsOf, listSessionsOf } from '../../core/accounts/admin.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { endedSessions, sessionPage } from './contract.js';

/** GET /api/admin/users/{id}/sessions (list) and DELETE (end them all): support acting on a player's devices. */
export async function adminUserSessions(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const userId = routeParam(request, 'id');
  if (request.method === 'DELETE') return json(200, { ended: await endAllSessionsOf(services.accounts, caller, userId) });
  return json(200, await listSessionsOf(services.accounts, caller, userId, readQuery(request, pageQuery)));
}

httpFunction('adminUserSessions', {
  route: 'admin/users/{id}/sessions',
  tag: 'sessions',
  handler: adminUserSessions,
  operations: {
    GET: {
      summary: "A player's live sessions (admins)",
      auth: 'bearer',
      query: pageQuery,
      responses: { 200: { description: 'Most recently used first.', body: sessionPage } },
      problems: [400, 401, 403, 404, 503],
    },
    DELETE: {
      summary: "End every session of a player (admins): their refresh and access tokens stop working at once",
      auth: 'bearer',
      responses: { 200: { description: 'How many sessions ended.', body: endedSessions } },
      problems: [401, 403, 404, 503],
    },
  },
});
