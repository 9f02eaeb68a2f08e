import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { activityBatchBody, MAX_RECORD_BODY_BYTES } from '../../core/activity/schemas.js';
import { recordActivityNow } from '../../core/activity/activity.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/**
 * POST /api/user-activity (game servers): the same items written to Cosmos at once, for activity
 * that must be durable before the answer. All or nothing on validation; idempotent by id.
 */
export async function userActivity(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const body = await readJson(request, activityBatchBody, { maxBytes: MAX_RECORD_BODY_BYTES });
  const items = await recordActivityNow(services.activity, caller, body);
  return json(201, { items });
}

app.http('userActivity', { route: 'api/user-activity', methods: ['POST'], authLevel: 'anonymous', handler: handle(userActivity) });
