import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { tokenLogoutInput } from '../../core/accounts/schemas.js';
import { logOut } from '../../core/sessions/sessions.js';
import { authenticateToken } from '../../platform/auth.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { loggedOut } from './contract.js';

/** POST /api/users/logout {token}: POST /api/logout with the access token in the body instead of the header. */
export async function usersLogout(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const { token } = await readJson(request, tokenLogoutInput);
  const caller = await authenticateToken(token, services, request);
  await logOut(services.accounts, requirePlayer(caller), caller.sessionId);
  return json(200, { message: 'Logout successful' });
}

httpFunction('compatUsersLogout', {
  route: 'users/logout',
  tag: 'compatibility',
  handler: usersLogout,
  operations: {
    POST: {
      summary: 'Log out with the access token in the body (as POST /api/logout)',
      auth: 'public',
      body: tokenLogoutInput,
      responses: { 200: { description: 'The session ended; its refresh and access tokens stop working.', body: loggedOut } },
      problems: [400, 401, 403, 413, 415, 503],
    },
  },
});
