import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { signUp } from '../../core/accounts/accounts.js';
import { signUpInput } from '../../core/accounts/schemas.js';
import { json, readJson, sessionOrigin } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { tokenGrant } from '../accounts/contract.js';

/** POST /api/users {username, email, password}: sign-up under the REST-collection name (POST /api/signup). */
export async function createUser(request: HttpRequest, services: Pick<Services, 'accounts'>): Promise<HttpResponseInit> {
  const grant = await signUp(services.accounts, await readJson(request, signUpInput), sessionOrigin(request));
  return json(201, grant, { Location: `/api/users/${grant.user.id}` });
}

httpFunction('compatCreateUser', {
  route: 'users',
  tag: 'compatibility',
  handler: createUser,
  operations: {
    POST: {
      summary: 'Create a player (as POST /api/signup)',
      auth: 'public',
      body: signUpInput,
      responses: { 201: { description: 'Created and signed in.', body: tokenGrant, headers: { Location: 'The new user, /api/users/{id}.' } } },
      problems: [400, 409, 413, 415, 429, 503],
    },
  },
});
