import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { logOut } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/logout: ends the caller's session; its refresh and access tokens stop working. */
export async function logout(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  await logOut(services.accounts, requirePlayer(caller), caller.sessionId);
  return { status: 204 };
}

httpFunction('logout', {
  route: 'logout',
  tag: 'sessions',
  handler: logout,
  operations: {
    POST: {
      summary: 'End the caller\'s session',
      auth: 'bearer',
      responses: { 204: { description: 'Ended: its refresh and access tokens stop working.' } },
      problems: [401, 403, 503],
    },
  },
});
