import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { signUp } from '../../core/accounts/accounts.js';
import { signUpInput } from '../../core/accounts/schemas.js';
import { handle, json, readJson, sessionOrigin } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/** POST /api/signup {username, email, password}: creates a player and opens their first session. */
export async function signup(request: HttpRequest): Promise<HttpResponseInit> {
  const input = await readJson(request, signUpInput);
  const { core } = await getServices();
  const grant = await signUp(core, input, sessionOrigin(request));
  return json(201, grant, { Location: `/api/users/${grant.user.id}` });
}

app.http('signup', { route: 'signup', methods: ['POST'], authLevel: 'anonymous', handler: handle(signup) });
