import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { MAX_BATCH, MAX_DETAILS_BYTES, trackActivity as track } from '../../core/activity/activity.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/** A full batch of the largest items, with room for JSON punctuation. */
const MAX_BODY_BYTES = MAX_BATCH * (MAX_DETAILS_BYTES + 512);

/**
 * POST /api/track-activity (game servers): one activity or a batch of up to 1,000. Valid items go
 * to the Redis buffer (synced to Cosmos by the syncActivity timer) → 202 {accepted, rejected}.
 */
export async function trackActivity(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const caller = await authenticate(request, services);
  const body = await readJson(request, z.unknown(), { maxBytes: MAX_BODY_BYTES });
  return json(202, await track(services.activity, caller, body));
}

app.http('trackActivity', { route: 'track-activity', methods: ['POST'], authLevel: 'anonymous', handler: handle(trackActivity) });
