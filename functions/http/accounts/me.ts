import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { getOwnAccount } from '../../core/accounts/accounts.js';
import { requirePlayer } from '../../core/kernel/caller.js';
import { authenticate } from '../../platform/auth.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { userView } from './contract.js';

/** GET /api/me: the caller's own account, without secrets. */
export async function me(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const userId = requirePlayer(await authenticate(request, services));
  return json(200, await getOwnAccount(services.accounts, userId));
}

httpFunction('me', {
  route: 'me',
  tag: 'accounts',
  handler: me,
  operations: {
    GET: {
      summary: 'The caller\'s own account',
      auth: 'bearer',
      responses: { 200: { description: 'The account.', body: userView } },
      problems: [401, 403, 503],
    },
  },
});
