import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { serviceTokenInput } from '../../core/accounts/schemas.js';
import { issueServiceToken } from '../../core/accounts/service-clients.js';
import { clientIp, handle, json, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** POST /api/token {grant_type: "client_credentials", client_id, client_secret}: a game server's token. */
export async function serviceToken(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const input = await readJson(request, serviceTokenInput);
  const { accounts } = services;
  return json(200, await issueServiceToken(accounts, input.client_id, input.client_secret, clientIp(request)));
}

app.http('serviceToken', { route: 'api/token', methods: ['POST'], authLevel: 'anonymous', handler: handle(serviceToken) });
