import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { ActivityDeps } from '../../core/activity/activity.js';
import { readStats } from '../../core/activity/stats.js';
import { authenticate, type AuthServices } from '../../platform/auth.js';
import { handle, json, routeParam } from '../../platform/http.js';

/** GET /api/users/{id}/stats: the per-user activity counters the sync keeps (no history scan). */
export async function activityStats(request: HttpRequest, services: AuthServices & { activity: Pick<ActivityDeps, 'stats' | 'users'> }): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await readStats(services.activity, caller, routeParam(request, 'id')));
}

app.http('activityStats', { route: 'api/users/{id}/stats', methods: ['GET'], authLevel: 'anonymous', handler: handle(activityStats) });
