import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { statusQuery } from '../../core/presence/schemas.js';
import { viewStatus } from '../../core/social/profiles.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { presenceView } from './contract.js';

/** GET /api/user-status[?userId=]: the caller's own presence; another player's where their privacy allows (always for game servers and admins). */
export async function userStatus(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { userId } = readQuery(request, statusQuery);
  return json(200, await viewStatus(services.social, caller, userId));
}

httpFunction('userStatus', {
  route: 'user-status',
  tag: 'presence',
  handler: userStatus,
  operations: {
    GET: {
      summary: 'The caller\'s presence, or another user\'s (game servers, admins)',
      auth: 'bearer',
      query: statusQuery,
      responses: { 200: { description: 'The presence.', body: presenceView } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
