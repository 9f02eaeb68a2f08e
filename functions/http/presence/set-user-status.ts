import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { setOwnStatus } from '../../core/presence/presence.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

const statusInput = z.strictObject({
  status: z.enum(['online', 'in-game', 'away'], 'must be one of online, in-game, away'),
});

/** PUT /api/user-status {status}: a player sets their own state (offline comes from logout or silence). */
export async function setUserStatus(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const caller = await authenticate(request, services);
  const { status } = await readJson(request, statusInput);
  return json(200, await setOwnStatus(services.presence, caller, status));
}

app.http('setUserStatus', { route: 'user-status', methods: ['PUT'], authLevel: 'anonymous', handler: handle(setUserStatus) });
