import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { deleteAccount } from '../../core/accounts/accounts.js';
import { deleteAccountInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { clientIp, handle, readOptionalJson, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/users/{id}: the owner confirms with {password}; an admin sends no body. */
export async function deleteUser(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  const body = await readOptionalJson(request, deleteAccountInput);
  await deleteAccount(accounts, caller, routeParam(request, 'id'), body?.password, clientIp(request));
  return { status: 204 };
}

app.http('deleteUser', { route: 'api/users/{id}', methods: ['DELETE'], authLevel: 'anonymous', handler: handle(deleteUser) });
