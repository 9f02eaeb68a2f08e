import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { logIn } from '../../core/accounts/accounts.js';
import { emailLogInInput } from '../../core/accounts/schemas.js';
import { json, readJson, sessionOrigin } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { compatLogin } from './contract.js';

/** POST /api/users/login {email, password}: POST /api/login with the email as the login. */
export async function usersLogin(request: HttpRequest, services: Pick<Services, 'accounts'>): Promise<HttpResponseInit> {
  const { email, password } = await readJson(request, emailLogInInput);
  const grant = await logIn(services.accounts, { login: email, password }, sessionOrigin(request));
  return json(200, { message: 'Login successful', token: grant.accessToken, ...grant });
}

httpFunction('compatUsersLogin', {
  route: 'users/login',
  tag: 'compatibility',
  handler: usersLogin,
  operations: {
    POST: {
      summary: 'Log in with an email and a password (as POST /api/login)',
      auth: 'public',
      body: emailLogInInput,
      responses: { 200: { description: 'Signed in: the token, and the usual token fields.', body: compatLogin } },
      problems: [400, 401, 413, 415, 429, 503],
    },
  },
});
