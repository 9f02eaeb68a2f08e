import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { readPlayerStats } from '../../core/matches/stats-view.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/users/{id}/stats: the per-user activity counters the sync keeps (no history scan), and the match stats. */
export async function activityStats(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'activity' | 'matches'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await readPlayerStats(services, caller, routeParam(request, 'id')));
}

app.http('activityStats', { route: 'users/{id}/stats', methods: ['GET'], authLevel: 'anonymous', handler: handle(activityStats) });
