import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { endOtherSessions as endOthers } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/** DELETE /api/me/sessions: ends every session but the caller's own ("log out everywhere else"). */
export async function endOtherSessions(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const { core } = services;
  const caller = await authenticate(request, services);
  const ended = await endOthers(core, requirePlayer(caller), caller.sessionId, 'ended-by-owner');
  return json(200, { ended });
}

app.http('endOtherSessions', { route: 'me/sessions', methods: ['DELETE'], authLevel: 'anonymous', handler: handle(endOtherSessions) });
