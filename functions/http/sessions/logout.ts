import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { logOut } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { handle } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** POST /api/logout: ends the caller's session; its refresh and access tokens stop working. */
export async function logout(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  await logOut(accounts, requirePlayer(caller), caller.sessionId);
  return { status: 204 };
}

app.http('logout', { route: 'api/logout', methods: ['POST'], authLevel: 'anonymous', handler: handle(logout) });
