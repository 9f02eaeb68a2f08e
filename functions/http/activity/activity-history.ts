import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { historyQuery } from '../../core/activity/schemas.js';
import { activityHistory as history } from '../../core/activity/activity.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readQuery, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/users/{id}/activity?limit=&cursor=&since=: newest first, buffered items included. */
export async function activityHistory(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const query = readQuery(request, historyQuery);
  return json(200, await history(services.activity, caller, routeParam(request, 'id'), query));
}

app.http('activityHistory', { route: 'api/users/{id}/activity', methods: ['GET'], authLevel: 'anonymous', handler: handle(activityHistory) });
