import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { recordActivityNow } from '../../core/activity/activity.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/**
 * POST /api/user-activity (game servers): the same items written to Cosmos at once, for activity
 * that must be durable before the answer. All or nothing on validation; idempotent by id.
 */
export async function userActivity(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const caller = await authenticate(request, services);
  const body = await readJson(request, z.unknown(), { maxBytes: 1024 * 1024 });
  const items = await recordActivityNow(services.activity, caller, body);
  return json(201, { items });
}

app.http('userActivity', { route: 'user-activity', methods: ['POST'], authLevel: 'anonymous', handler: handle(userActivity) });
