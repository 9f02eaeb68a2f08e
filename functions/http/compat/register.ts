import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { signUp } from '../../core/accounts/accounts.js';
import { signUpInput } from '../../core/accounts/schemas.js';
import { json, readJson, sessionOrigin } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { registered } from './contract.js';

/** POST /api/users/register {username, email, password}: sign-up that answers only the name; the client logs in next. */
export async function register(request: HttpRequest, services: Pick<Services, 'accounts'>): Promise<HttpResponseInit> {
  const grant = await signUp(services.accounts, await readJson(request, signUpInput), sessionOrigin(request));
  return json(200, { message: 'User registered successfully', username: grant.user.username });
}

httpFunction('compatRegister', {
  route: 'users/register',
  tag: 'compatibility',
  handler: register,
  operations: {
    POST: {
      summary: 'Register a player (as POST /api/signup, without the tokens)',
      auth: 'public',
      body: signUpInput,
      responses: { 200: { description: 'Registered.', body: registered } },
      problems: [400, 409, 413, 415, 429, 503],
    },
  },
});
