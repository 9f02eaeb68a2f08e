import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { setAccountStatus } from '../../core/accounts/profiles.js';
import { accountStatusInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson, routeParam } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/** PUT /api/admin/users/{id}/account-status {status, reason, until?}: admins only. */
export async function accountStatus(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const { core } = services;
  const caller = await authenticate(request, services);
  const input = await readJson(request, accountStatusInput);
  return json(200, await setAccountStatus(core, caller, routeParam(request, 'id'), input));
}

app.http('accountStatus', { route: 'admin/users/{id}/account-status', methods: ['PUT'], authLevel: 'anonymous', handler: handle(accountStatus) });
