import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { logIn } from '../../core/accounts/accounts.js';
import { logInInput } from '../../core/accounts/schemas.js';
import { handle, json, readJson, sessionOrigin } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** POST /api/login {login, password}: login is a username or an email. */
export async function login(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const input = await readJson(request, logInInput);
  const { accounts } = services;
  return json(200, await logIn(accounts, input, sessionOrigin(request)));
}

app.http('login', { route: 'login', methods: ['POST'], authLevel: 'anonymous', handler: handle(login) });
