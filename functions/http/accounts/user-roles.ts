import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { setRoles } from '../../core/accounts/admin.js';
import { rolesInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { adminUserView } from './contract.js';

/** PUT /api/admin/users/{id}/roles {admin: true|false}: admins make and unmake admins. */
export async function userRoles(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { admin } = await readJson(request, rolesInput);
  return json(200, await setRoles(services.accounts, caller, routeParam(request, 'id'), admin));
}

httpFunction('userRoles', {
  route: 'admin/users/{id}/roles',
  tag: 'admin',
  handler: userRoles,
  operations: {
    PUT: {
      summary: 'Grant or remove the admin role (admins)',
      description: 'Removing the role revokes the user\'s current access tokens. Admins cannot remove their own role (409).',
      auth: 'bearer',
      body: rolesInput,
      responses: { 200: { description: 'The account with its new roles.', body: adminUserView } },
      problems: [400, 401, 403, 404, 409, 413, 415, 503],
    },
  },
});
