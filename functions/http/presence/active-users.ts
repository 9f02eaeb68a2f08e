import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { activeUsers as list } from '../../core/presence/presence.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readQuery } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/active-users?limit=&cursor=: who is online now, most recently seen first (game servers, admins). */
export async function activeUsers(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await list(services.presence, caller, readQuery(request, pageQuery)));
}

app.http('activeUsers', { route: 'api/active-users', methods: ['GET'], authLevel: 'anonymous', handler: handle(activeUsers) });
