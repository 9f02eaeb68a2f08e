import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { activityBatchBody, activityBatchContract, MAX_RECORD_BODY_BYTES } from '../../core/activity/schemas.js';
import { recordActivityNow } from '../../core/activity/activity.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { recordedActivities } from './contract.js';

/**
 * POST /api/user-activity (game servers): the same items written to Cosmos at once, for activity
 * that must be durable before the answer. All or nothing on validation; idempotent by id.
 */
export async function userActivity(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'activity'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const body = await readJson(request, activityBatchBody, { maxBytes: MAX_RECORD_BODY_BYTES });
  const items = await recordActivityNow(services.activity, caller, body);
  return json(201, { items });
}

httpFunction('userActivity', {
  route: 'user-activity',
  tag: 'activity',
  handler: userActivity,
  operations: {
    POST: {
      summary: 'Record activity durably before answering, up to 100 (game servers)',
      description: 'All or nothing on validation; idempotent by id (`created: false` for one already stored).',
      auth: 'bearer',
      body: activityBatchContract,
      responses: { 201: { description: 'Written to Cosmos.', body: recordedActivities } },
      problems: [400, 401, 403, 413, 415, 503],
    },
  },
});
