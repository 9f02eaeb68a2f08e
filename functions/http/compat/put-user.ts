import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { updateAccount } from '../../core/accounts/account-update.js';
import { accountUpdateInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { clientIp, json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { userView } from '../accounts/contract.js';

/** PUT /api/users/{id} {username?, email?, password?, currentPassword?}: the owner or an admin. */
export async function putUser(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, accountUpdateInput);
  return json(200, await updateAccount(services.accounts, caller, routeParam(request, 'id'), input, clientIp(request)));
}

httpFunction('compatPutUser', {
  route: 'users/{id}',
  tag: 'compatibility',
  handler: putUser,
  operations: {
    PUT: {
      summary: 'Change username, email or password (PATCH /api/users/{id} and POST /api/me/password in one)',
      description:
        'The owner or an admin. A new username or email is claimed atomically (409 if taken). A password change needs currentPassword from the owner (an admin resets without it) and ends every other session.',
      auth: 'bearer',
      body: accountUpdateInput,
      responses: { 200: { description: 'The account as it is now.', body: userView } },
      problems: [400, 401, 403, 404, 409, 413, 415, 429, 503],
    },
  },
});
