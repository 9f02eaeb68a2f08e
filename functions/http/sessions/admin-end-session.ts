import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { endSessionOf } from '../../core/accounts/admin.js';
import { authenticate } from '../../platform/auth.js';
import { routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/admin/users/{id}/sessions/{sessionId}: support ends one of a player's sessions. */
export async function adminEndSession(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  await endSessionOf(services.accounts, caller, routeParam(request, 'id'), routeParam(request, 'sessionId'));
  return { status: 204 };
}

httpFunction('adminEndSession', {
  route: 'admin/users/{id}/sessions/{sessionId}',
  tag: 'sessions',
  handler: adminEndSession,
  operations: {
    DELETE: {
      summary: "End one of a player's sessions (admins)",
      auth: 'bearer',
      responses: { 204: { description: 'Ended; its tokens stop working at once.' } },
      problems: [401, 403, 404, 503],
    },
  },
});
