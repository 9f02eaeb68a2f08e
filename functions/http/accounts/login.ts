import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { logIn } from '../../core/accounts/accounts.js';
import { logInInput } from '../../core/accounts/schemas.js';
import { json, readJson, sessionOrigin } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { tokenGrant } from './contract.js';

/** POST /api/login {login, password}: login is a username or an email. */
export async function login(request: HttpRequest, services: Pick<Services, 'accounts'>): Promise<HttpResponseInit> {
  const input = await readJson(request, logInInput);
  return json(200, await logIn(services.accounts, input, sessionOrigin(request)));
}

httpFunction('login', {
  route: 'login',
  tag: 'accounts',
  handler: login,
  operations: {
    POST: {
      summary: 'Log in with a username or email and a password',
      description: 'Enumeration-safe: an unknown login and a wrong password get the same 401, in about the same time.',
      auth: 'public',
      body: logInInput,
      responses: { 200: { description: 'Signed in: tokens and the account.', body: tokenGrant } },
      problems: [400, 401, 413, 415, 429, 503],
    },
  },
});
