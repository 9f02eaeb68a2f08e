import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { readPlayerStats } from '../../core/matches/stats-view.js';
import { authenticate, type AuthServices } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import { playerStats } from '../matches/contract.js';

/** GET /api/users/{id}/stats: the per-user activity counters the sync keeps (no history scan), and the match stats. */
export async function activityStats(request: HttpRequest, services: AuthServices & Parameters<typeof readPlayerStats>[0]): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await readPlayerStats(services, caller, routeParam(request, 'id')));
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
      responses: { 200: { description: 'The activity counters and the match stats.', body: playerStats } },
      problems: [401, 403, 404, 503],
    },
  },
});
