import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { listUserEvents } from '../../core/events/audit.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readQuery, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/users/{id}/events?limit=&cursor=: the account's event history, newest first (owner, admins). */
export async function userEvents(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const userId = routeParam(request, 'id');
  const page = readQuery(request, pageQuery);
  return json(200, await listUserEvents({ audit: services.audit, users: services.accounts.users }, caller, userId, page));
}

app.http('userEvents', { route: 'api/users/{id}/events', methods: ['GET'], authLevel: 'anonymous', handler: handle(userEvents) });
