import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { setStatusInput } from '../../core/presence/schemas.js';
import { setOwnStatus } from '../../core/presence/presence.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** PUT /api/user-status {status}: a player sets their own state (offline comes from logout or silence). */
export async function setUserStatus(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { status } = await readJson(request, setStatusInput);
  return json(200, await setOwnStatus(services.presence, caller, status));
}

app.http('setUserStatus', { route: 'api/user-status', methods: ['PUT'], authLevel: 'anonymous', handler: handle(setUserStatus) });
