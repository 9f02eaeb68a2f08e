import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { activityHistory as history } from '../../core/activity/activity.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readQuery, routeParam } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

const historyQuery = pageQuery.extend({
  since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});

/** GET /api/users/{id}/activity?limit=&cursor=&since=: newest first, buffered items included. */
export async function activityHistory(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const caller = await authenticate(request, services);
  const query = readQuery(request, historyQuery);
  return json(200, await history(services.activity, caller, routeParam(request, 'id'), query));
}

app.http('activityHistory', { route: 'users/{id}/activity', methods: ['GET'], authLevel: 'anonymous', handler: handle(activityHistory) });
