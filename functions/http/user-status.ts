import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { getStatus } from '../core/presence.js';
import { authenticate } from '../platform/auth.js';
import { handle, json, readQuery } from '../platform/http.js';
import { getServices } from '../platform/services.js';
import { requireKnownUser } from '../core/known-user.js';

const statusQuery = z.strictObject({ userId: z.string().min(1).max(64).optional() });

/** GET /api/user-status[?userId=]: the caller's own presence; another user's for game servers and admins. */
export async function userStatus(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const caller = await authenticate(request, services);
  const { userId } = readQuery(request, statusQuery);
  if (userId !== undefined) await requireKnownUser(services.core.users, caller, userId);
  return json(200, await getStatus(services.presence, caller, userId));
}

app.http('userStatus', { route: 'user-status', methods: ['GET'], authLevel: 'anonymous', handler: handle(userStatus) });
