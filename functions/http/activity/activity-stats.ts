import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { ActivityDeps } from '../../core/activity/activity.js';
import { readStats } from '../../core/activity/stats.js';
import { authenticate, type AuthServices } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import { userStats } from './contract.js';

/** GET /api/users/{id}/stats: the per-user activity counters the sync keeps (no history scan). */
export async function activityStats(request: HttpRequest, services: AuthServices & { activity: Pick<ActivityDeps, 'stats' | 'users'> }): Promise<HttpResponseInit> {
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
