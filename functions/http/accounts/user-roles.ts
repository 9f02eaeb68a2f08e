import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { setRoles } from '../../core/accounts/admin.js';
import { rolesInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** PUT /api/admin/users/{id}/roles {admin: true|false}: admins make and unmake admins. */
export async function userRoles(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  const { admin } = await readJson(request, rolesInput);
  return json(200, await setRoles(accounts, caller, routeParam(request, 'id'), admin));
}

app.http('userRoles', { route: 'api/admin/users/{id}/roles', methods: ['PUT'], authLevel: 'anonymous', handler: handle(userRoles) });
