import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { signUp } from '../../core/accounts/accounts.js';
import { signUpInput } from '../../core/accounts/schemas.js';
import { json, readJson, sessionOrigin } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { tokenGrant } from './contract.js';

/** POST /api/signup {username, email, password}: creates a player and opens their first session. */
export async function signup(request: HttpRequest, services: Pick<Services, 'accounts'>): Promise<HttpResponseInit> {
  const input = await readJson(request, signUpInput);
  const grant = await signUp(services.accounts, input, sessionOrigin(request));
  return json(201, grant, { Location: `/api/users/${grant.user.id}` });
}

httpFunction('signup', {
  route: 'signup',
  tag: 'accounts',
  handler: signup,
  operations: {
    POST: {
      summary: 'Create a player account and its first session',
      auth: 'public',
      body: signUpInput,
      responses: { 201: { description: 'Created and signed in.', body: tokenGrant, headers: { Location: 'The new user: /api/users/{id}.' } } },
      problems: [400, 409, 413, 415, 429, 503],
    },
  },
});
