import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { bootstrapAdmin as bootstrap } from '../../core/accounts/admin.js';
import { bootstrapAdminInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** POST /api/admin/bootstrap {token}: once per deployment, makes the calling player the first admin. */
export async function bootstrapAdmin(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  const { token } = await readJson(request, bootstrapAdminInput);
  return json(200, await bootstrap(accounts, caller, token));
}

app.http('bootstrapAdmin', { route: 'api/admin/bootstrap', methods: ['POST'], authLevel: 'anonymous', handler: handle(bootstrapAdmin) });
