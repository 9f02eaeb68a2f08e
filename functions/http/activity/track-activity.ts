import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { trackActivity as track } from '../../core/activity/activity.js';
import { activityBatchBody, MAX_TRACK_BODY_BYTES } from '../../core/activity/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/**
 * POST /api/track-activity (game servers): one activity or a batch of up to 1,000. Valid items go
 * to the Redis buffer (synced to Cosmos by the syncActivity timer) → 202 {accepted, rejected}.
 */
export async function trackActivity(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const body = await readJson(request, activityBatchBody, { maxBytes: MAX_TRACK_BODY_BYTES });
  return json(202, await track(services.activity, caller, body));
}

app.http('trackActivity', { route: 'api/track-activity', methods: ['POST'], authLevel: 'anonymous', handler: handle(trackActivity) });
