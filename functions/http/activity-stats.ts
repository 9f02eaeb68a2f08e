import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { emptyStats } from '../core/activity-stats.js';
import { DomainError } from '../core/errors.js';
import { authenticate } from '../platform/auth.js';
import { handle, json, routeParam } from '../platform/http.js';
import { getServices } from '../platform/services.js';
import { requireKnownUser } from '../core/known-user.js';

/** GET /api/users/{id}/stats: the per-user activity counters the sync keeps (no history scan). */
export async function activityStats(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const caller = await authenticate(request, services);
  const userId = routeParam(request, 'id');
  if (!(caller.kind === 'service' || caller.roles.includes('admin') || caller.subject === userId)) {
    throw new DomainError('FORBIDDEN', 'Activity counters are visible to their player, game servers and admins.');
  }
  await requireKnownUser(services.core.users, caller, userId);
  const { stats } = await services.activity.stats.read(userId);
  const { watermark: _watermark, ...shown } = stats ?? emptyStats(userId);
  return json(200, shown);
}

app.http('activityStats', { route: 'users/{id}/stats', methods: ['GET'], authLevel: 'anonymous', handler: handle(activityStats) });
