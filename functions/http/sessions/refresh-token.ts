import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { refreshInput } from '../../core/accounts/schemas.js';
import { refresh } from '../../core/sessions/sessions.js';
import { clientIp, json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { tokenGrant } from '../accounts/contract.js';

/** POST /api/token/refresh {refreshToken}: a new access and refresh token; the old one is spent. */
export async function refreshToken(request: HttpRequest, services: Pick<Services, 'accounts'>): Promise<HttpResponseInit> {
  const input = await readJson(request, refreshInput);
  return json(200, await refresh(services.accounts, input.refreshToken, clientIp(request)));
}

httpFunction('refreshToken', {
  route: 'token/refresh',
  tag: 'sessions',
  handler: refreshToken,
  operations: {
    POST: {
      summary: 'Trade a refresh token for new tokens (the old one is spent)',
      description: 'A retry within the grace window gets the same new tokens; replaying a spent one ends the session.',
      auth: 'public',
      body: refreshInput,
      responses: { 200: { description: 'New tokens.', body: tokenGrant } },
      problems: [400, 401, 409, 413, 415, 429, 503],
    },
  },
});
