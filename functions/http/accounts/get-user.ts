import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { getUser as get } from '../../core/accounts/profiles.js';
import { authenticate } from '../../platform/auth.js';
import { handle, httpEtag, json, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/users/{id}: the public profile; the full record for the owner and admins. */
export async function getUser(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  const { view, etag } = await get(accounts, caller, routeParam(request, 'id'));
  return json(200, view, httpEtag(etag));
}

app.http('getUser', { route: 'api/users/{id}', methods: ['GET'], authLevel: 'anonymous', handler: handle(getUser) });
