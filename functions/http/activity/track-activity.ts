import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { trackActivity as track } from '../../core/activity/activity.js';
import { activityBatchBody, activityBatchContract, MAX_TRACK_BODY_BYTES } from '../../core/activity/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { trackResult } from './contract.js';

/**
 * POST /api/track-activity (game servers): one activity or a batch of up to 1,000. Valid items go
 * to the Redis buffer (synced to Cosmos by the syncActivity timer) → 202 {accepted, rejected}.
 */
export async function trackActivity(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'activity'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const body = await readJson(request, activityBatchBody, { maxBytes: MAX_TRACK_BODY_BYTES });
  return json(202, await track(services.activity, caller, body));
}

httpFunction('trackActivity', {
  route: 'track-activity',
  tag: 'activity',
  handler: trackActivity,
  operations: {
    POST: {
      summary: 'Report activity, one or a batch of up to 1,000 (game servers)',
      description: 'Valid items are buffered and reach Cosmos at the next sync; invalid ones are listed in `rejected`. 400 only when none is valid.',
      auth: 'bearer',
      body: activityBatchContract,
      responses: { 202: { description: 'Accepted for the next sync.', body: trackResult } },
      problems: [400, 401, 403, 413, 415, 503],
    },
  },
});
