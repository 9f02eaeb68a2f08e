import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { bootstrapAdmin as bootstrap } from '../../core/accounts/admin.js';
import { bootstrapAdminInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { userView } from './contract.js';

/** POST /api/admin/bootstrap {token}: once per deployment, makes the calling player the first admin. */
export async function bootstrapAdmin(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { token } = await readJson(request, bootstrapAdminInput);
  return json(200, await bootstrap(services.accounts, caller, token));
}

httpFunction('bootstrapAdmin', {
  route: 'admin/bootstrap',
  tag: 'admin',
  handler: bootstrapAdmin,
  operations: {
    POST: {
      summary: 'Make the calling player the first admin (once per deployment)',
      description: 'Needs ADMIN_BOOTSTRAP_TOKEN; 409 once an admin exists. Log in again to get a token with the admin role.',
      auth: 'bearer',
      body: bootstrapAdminInput,
      responses: { 200: { description: 'The account, now an admin.', body: userView } },
      problems: [400, 401, 403, 409, 413, 415, 503],
    },
  },
});
