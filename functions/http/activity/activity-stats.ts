import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { readStats } from '../../core/activity/stats.js';
import { authenticate } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { userStats } from './contract.js';

/** GET /api/users/{id}/stats: the per-user activity counters the sync keeps (no history scan). */
export async function activityStats(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'activity'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await readStats(services.activity, caller, routeParam(request, 'id')));
}

httpFunction('activityStats', {
  route: 'users/{id}/stats',
  tag: 'activity',
  handler: activityStats,
  operations: {
    GET: {
      summary: 'A user\'s activity counters (the user, game servers, admins)',
      description: 'Counts what the sync has written to Cosmos, exactly once per activity.',
      auth: 'bearer',
      responses: { 200: { description: 'The counters.', body: userStats } },
      problems: [401, 403, 404, 503],
    },
  },
});
