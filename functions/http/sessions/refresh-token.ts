import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { refreshInput } from '../../core/accounts/schemas.js';
import { refresh } from '../../core/sessions/sessions.js';
import { clientIp, handle, json, readJson } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/** POST /api/token/refresh {refreshToken}: a new access and refresh token; the old one is spent. */
export async function refreshToken(request: HttpRequest): Promise<HttpResponseInit> {
  const input = await readJson(request, refreshInput);
  const { core } = await getServices();
  return json(200, await refresh(core, input.refreshToken, clientIp(request)));
}

app.http('refreshToken', { route: 'token/refresh', methods: ['POST'], authLevel: 'anonymous', handler: handle(refreshToken) });
