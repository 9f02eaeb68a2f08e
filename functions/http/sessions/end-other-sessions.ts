import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { endOtherSessions as endOthers } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/me/sessions: ends every session but the caller's own ("log out everywhere else"). */
export async function endOtherSessions(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  const ended = await endOthers(accounts, requirePlayer(caller), caller.sessionId, 'ended-by-owner');
  return json(200, { ended });
}

app.http('endOtherSessions', { route: 'api/me/sessions', methods: ['DELETE'], authLevel: 'anonymous', handler: handle(endOtherSessions) });
