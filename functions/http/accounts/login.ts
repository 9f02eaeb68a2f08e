import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { logIn } from '../../core/accounts/accounts.js';
import { logInInput } from '../../core/accounts/schemas.js';
import { handle, json, readJson, sessionOrigin } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/** POST /api/login {login, password}: login is a username or an email. */
export async function login(request: HttpRequest): Promise<HttpResponseInit> {
  const input = await readJson(request, logInInput);
  const { core } = await getServices();
  return json(200, await logIn(core, input, sessionOrigin(request)));
}

app.http('login', { route: 'login', methods: ['POST'], authLevel: 'anonymous', handler: handle(login) });
