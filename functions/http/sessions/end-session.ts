import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { endSession as end } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { handle, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/me/sessions/{id}: ends one of the caller's sessions (another device, say). */
export async function endSession(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const userId = requirePlayer(await authenticate(request, services));
  await end(accounts, userId, routeParam(request, 'id'));
  return { status: 204 };
}

app.http('endSession', { route: 'api/me/sessions/{id}', methods: ['DELETE'], authLevel: 'anonymous', handler: handle(endSession) });
