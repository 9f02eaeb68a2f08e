import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { listUsers as list } from '../../core/accounts/admin.js';
import { userSearchQuery } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { adminUserPage } from './contract.js';

/** GET /api/users?search=prefix&limit=&cursor=: admins only; by username, paginated. */
export async function listUsers(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { search, ...page } = readQuery(request, userSearchQuery);
  return json(200, await list(services.accounts, caller, search, page));
}

httpFunction('listUsers', {
  route: 'users',
  tag: 'admin',
  handler: listUsers,
  operations: {
    GET: {
      summary: 'List or search users by username prefix (admins)',
      auth: 'bearer',
      query: userSearchQuery,
      responses: { 200: { description: 'A page of users, by username.', body: adminUserPage } },
      problems: [400, 401, 403, 503],
    },
  },
});
