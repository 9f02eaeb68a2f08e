import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { refreshInput } from '../../core/accounts/schemas.js';
import { refresh } from '../../core/sessions/sessions.js';
import { clientIp, handle, json, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** POST /api/token/refresh {refreshToken}: a new access and refresh token; the old one is spent. */
export async function refreshToken(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const input = await readJson(request, refreshInput);
  const { accounts } = services;
  return json(200, await refresh(accounts, input.refreshToken, clientIp(request)));
}

app.http('refreshToken', { route: 'api/token/refresh', methods: ['POST'], authLevel: 'anonymous', handler: handle(refreshToken) });
