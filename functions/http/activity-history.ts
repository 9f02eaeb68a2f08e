import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { activityHistory as history } from '../core/activity.js';
import { pageQuery } from '../core/schemas.js';
import { authenticate } from '../platform/auth.js';
import { handle, json, readQuery, routeParam } from '../platform/http.js';
import { getServices } from '../platform/services.js';
import { requireKnownUser } from '../core/known-user.js';

const historyQuery = pageQuery.extend({
  since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});

/** GET /api/users/{id}/activity?limit=&cursor=&since=: newest first, buffered items included. */
export async function activityHistory(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const caller = await authenticate(request, services);
  const query = readQuery(request, historyQuery);
  const userId = routeParam(request, 'id');
  await requireKnownUser(services.core.users, caller, userId);
  return json(200, await history(services.activity, caller, userId, query));
}

app.http('activityHistory', { route: 'users/{id}/activity', methods: ['GET'], authLevel: 'anonymous', handler: handle(activityHistory) });
