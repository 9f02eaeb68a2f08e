import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { listUserEvents } from '../core/audit.js';
import { pageQuery } from '../core/schemas.js';
import { authenticate } from '../platform/auth.js';
import { handle, json, readQuery, routeParam } from '../platform/http.js';
import { getServices } from '../platform/services.js';
import { requireKnownUser } from '../core/known-user.js';

/** GET /api/users/{id}/events?limit=&cursor=: the account's event history, newest first (owner, admins). */
export async function userEvents(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const caller = await authenticate(request, services);
  const userId = routeParam(request, 'id');
  const page = readQuery(request, pageQuery);
  await requireKnownUser(services.core.users, caller, userId);
  return json(200, await listUserEvents(services.audit, caller, userId, page));
}

app.http('userEvents', { route: 'users/{id}/events', methods: ['GET'], authLevel: 'anonymous', handler: handle(userEvents) });
