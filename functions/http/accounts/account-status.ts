import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { setAccountStatus } from '../../core/accounts/admin.js';
import { accountStatusInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** PUT /api/admin/users/{id}/account-status {status, reason, until?}: admins only. */
export async function accountStatus(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  const input = await readJson(request, accountStatusInput);
  return json(200, await setAccountStatus(accounts, caller, routeParam(request, 'id'), input));
}

app.http('accountStatus', { route: 'api/admin/users/{id}/account-status', methods: ['PUT'], authLevel: 'anonymous', handler: handle(accountStatus) });
