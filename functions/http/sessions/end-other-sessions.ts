import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { endOtherSessions as endOthers } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { endedSessions } from './contract.js';

/** DELETE /api/me/sessions: ends every session but the caller's own ("log out everywhere else"). */
export async function endOtherSessions(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const ended = await endOthers(services.accounts, requirePlayer(caller), caller.sessionId, 'ended-by-owner');
  return json(200, { ended });
}

httpFunction('endOtherSessions', {
  route: 'me/sessions',
  tag: 'sessions',
  handler: endOtherSessions,
  operations: {
    DELETE: {
      summary: 'Log out everywhere else: end every session but the caller\'s',
      auth: 'bearer',
      responses: { 200: { description: 'How many sessions ended.', body: endedSessions } },
      problems: [401, 403, 503],
    },
  },
});
