import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { signUp } from '../../core/accounts/accounts.js';
import { signUpInput } from '../../core/accounts/schemas.js';
import { handle, json, readJson, sessionOrigin } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** POST /api/signup {username, email, password}: creates a player and opens their first session. */
export async function signup(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const input = await readJson(request, signUpInput);
  const { accounts } = services;
  const grant = await signUp(accounts, input, sessionOrigin(request));
  return json(201, grant, { Location: `/api/users/${grant.user.id}` });
}

app.http('signup', { route: 'api/signup', methods: ['POST'], authLevel: 'anonymous', handler: handle(signup) });
