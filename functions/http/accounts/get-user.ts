import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { getUser as get } from '../../core/accounts/profiles.js';
import { authenticate } from '../../platform/auth.js';
import { handle, httpEtag, json, routeParam } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/** GET /api/users/{id}: the public profile; the full record for the owner and admins. */
export async function getUser(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const { core } = services;
  const caller = await authenticate(request, services);
  const { view, etag } = await get(core, caller, routeParam(request, 'id'));
  return json(200, view, httpEtag(etag));
}

app.http('getUser', { route: 'users/{id}', methods: ['GET'], authLevel: 'anonymous', handler: handle(getUser) });
