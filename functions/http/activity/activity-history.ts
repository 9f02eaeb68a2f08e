import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { historyQuery } from '../../core/activity/schemas.js';
import { activityHistory as history } from '../../core/activity/activity.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { activityPage } from './contract.js';

/** GET /api/users/{id}/activity?limit=&cursor=&since=: newest first, buffered items included. */
export async function activityHistory(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'activity'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const query = readQuery(request, historyQuery);
  return json(200, await history(services.activity, caller, routeParam(request, 'id'), query));
}

httpFunction('activityHistory', {
  route: 'users/{id}/activity',
  tag: 'activity',
  handler: activityHistory,
  operations: {
    GET: {
      summary: 'A user\'s activity, newest first (the user, game servers, admins)',
      description: 'Includes activity still in the buffer, not yet synced to Cosmos.',
      auth: 'bearer',
      query: historyQuery,
      responses: { 200: { description: 'A page of activity.', body: activityPage } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
