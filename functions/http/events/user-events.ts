import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { listUserEvents } from '../../core/events/audit.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { auditPage } from './contract.js';

/** GET /api/users/{id}/events?limit=&cursor=: the account's event history, newest first (owner, admins). */
export async function userEvents(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'audit'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const userId = routeParam(request, 'id');
  const page = readQuery(request, pageQuery);
  return json(200, await listUserEvents({ audit: services.audit, users: services.accounts.users }, caller, userId, page));
}

httpFunction('userEvents', {
  route: 'users/{id}/events',
  tag: 'events',
  handler: userEvents,
  operations: {
    GET: {
      summary: 'An account\'s event history, newest first (the owner, admins)',
      auth: 'bearer',
      query: pageQuery,
      responses: { 200: { description: 'A page of the audit trail.', body: auditPage } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
