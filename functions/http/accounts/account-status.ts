import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { setAccountStatus } from '../../core/accounts/admin.js';
import { accountStatusInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { adminUserView } from './contract.js';

/** PUT /api/admin/users/{id}/account-status {status, reason, until?}: admins only. */
export async function accountStatus(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, accountStatusInput);
  return json(200, await setAccountStatus(services.accounts, caller, routeParam(request, 'id'), input));
}

httpFunction('accountStatus', {
  route: 'admin/users/{id}/account-status',
  tag: 'admin',
  handler: accountStatus,
  operations: {
    PUT: {
      summary: 'Suspend, ban or reactivate an account (admins)',
      description: 'Suspending or banning ends every session of the account. Admins cannot change their own status (409).',
      auth: 'bearer',
      body: accountStatusInput,
      responses: { 200: { description: 'The account with its new status.', body: adminUserView } },
      problems: [400, 401, 403, 404, 409, 413, 415, 503],
    },
  },
});
