import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { endSession as end } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/me/sessions/{id}: ends one of the caller's sessions (another device, say). */
export async function endSession(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const userId = requirePlayer(await authenticate(request, services));
  await end(services.accounts, userId, routeParam(request, 'id'));
  return { status: 204 };
}

httpFunction('endSession', {
  route: 'me/sessions/{id}',
  tag: 'sessions',
  handler: endSession,
  operations: {
    DELETE: {
      summary: 'End one of the caller\'s sessions',
      auth: 'bearer',
      responses: { 204: { description: 'Ended: its tokens stop working.' } },
      problems: [401, 403, 404, 503],
    },
  },
});
