import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { activeUsers as list } from '../../core/presence/presence.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { onlineUserPage } from './contract.js';

/** GET /api/active-users?limit=&cursor=: who is online now, most recently seen first (game servers, admins). */
export async function activeUsers(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'presence'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await list(services.presence, caller, readQuery(request, pageQuery)));
}

httpFunction('activeUsers', {
  route: 'active-users',
  tag: 'presence',
  handler: activeUsers,
  operations: {
    GET: {
      summary: 'Who is online now, most recently seen first (game servers, admins)',
      auth: 'bearer',
      query: pageQuery,
      responses: { 200: { description: 'A page of online users.', body: onlineUserPage } },
      problems: [400, 401, 403, 503],
    },
  },
});
