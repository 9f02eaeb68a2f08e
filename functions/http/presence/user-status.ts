import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { statusQuery } from '../../core/presence/schemas.js';
import { getStatus } from '../../core/presence/presence.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readQuery } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/user-status[?userId=]: the caller's own presence; another user's for game servers and admins. */
export async function userStatus(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { userId } = readQuery(request, statusQuery);
  return json(200, await getStatus(services.presence, caller, userId));
}

app.http('userStatus', { route: 'api/user-status', methods: ['GET'], authLevel: 'anonymous', handler: handle(userStatus) });
