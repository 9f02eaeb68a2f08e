import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { serviceTokenInput } from '../../core/accounts/schemas.js';
import { issueServiceToken } from '../../core/accounts/service-clients.js';
import { clientIp, json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { serviceTokenGrant } from './contract.js';

/** POST /api/token {grant_type: "client_credentials", client_id, client_secret}: a game server's token. */
export async function serviceToken(request: HttpRequest, services: Pick<Services, 'accounts'>): Promise<HttpResponseInit> {
  const input = await readJson(request, serviceTokenInput);
  return json(200, await issueServiceToken(services.accounts, input.client_id, input.client_secret, clientIp(request)));
}

httpFunction('serviceToken', {
  route: 'token',
  tag: 'game servers',
  handler: serviceToken,
  operations: {
    POST: {
      summary: 'A game server\'s access token (OAuth 2.0 client credentials, as JSON)',
      auth: 'public',
      body: serviceTokenInput,
      responses: { 200: { description: 'An access token with the role "game-server".', body: serviceTokenGrant } },
      problems: [400, 401, 413, 415, 429, 503],
    },
  },
});
