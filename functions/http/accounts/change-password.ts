import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { changePassword as change } from '../../core/accounts/accounts.js';
import { requirePlayer } from '../../core/kernel/caller.js';
import { changePasswordInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { clientIp, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/me/password {currentPassword, newPassword}: every other session ends. */
export async function changePassword(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  requirePlayer(caller);
  await change(services.accounts, caller, await readJson(request, changePasswordInput), clientIp(request));
  return { status: 204 };
}

httpFunction('changePassword', {
  route: 'me/password',
  tag: 'accounts',
  handler: changePassword,
  operations: {
    POST: {
      summary: 'Change the caller\'s password',
      description: 'Every other session of the account ends; the calling one stays.',
      auth: 'bearer',
      body: changePasswordInput,
      responses: { 204: { description: 'Changed.' } },
      problems: [400, 401, 403, 413, 415, 429, 503],
    },
  },
});
