import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { deleteAccount } from '../../core/accounts/accounts.js';
import { deleteAccountInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { clientIp, readOptionalJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/users/{id}: the owner confirms with {password}; an admin sends no body. */
export async function deleteUser(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const body = await readOptionalJson(request, deleteAccountInput);
  await deleteAccount(services.accounts, caller, routeParam(request, 'id'), body?.password, clientIp(request));
  return { status: 204 };
}

httpFunction('deleteUser', {
  route: 'users/{id}',
  tag: 'accounts',
  handler: deleteUser,
  operations: {
    DELETE: {
      summary: 'Delete an account (the owner with their password, or an admin)',
      description: 'Every session of the account ends.',
      auth: 'bearer',
      body: deleteAccountInput,
      responses: { 204: { description: 'Deleted.' } },
      problems: [400, 401, 403, 404, 413, 415, 429, 503],
    },
  },
});
