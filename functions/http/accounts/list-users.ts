import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { listUsers as list } from '../../core/accounts/admin.js';
import { userSearchQuery } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readQuery } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/users?search=prefix&limit=&cursor=: admins only; by username, paginated. */
export async function listUsers(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  const { search, ...page } = readQuery(request, userSearchQuery);
  return json(200, await list(accounts, caller, search, page));
}

app.http('listUsers', { route: 'api/users', methods: ['GET'], authLevel: 'anonymous', handler: handle(listUsers) });
