import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { listSessions as list } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { sessionPage } from './contract.js';

/** GET /api/me/sessions?limit=&cursor=: the caller's live sessions, most recently used first. */
export async function listSessions(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const page = readQuery(request, pageQuery);
  return json(200, await list(services.accounts, requirePlayer(caller), caller.sessionId, page));
}

httpFunction('listSessions', {
  route: 'me/sessions',
  tag: 'sessions',
  handler: listSessions,
  operations: {
    GET: {
      summary: 'The caller\'s live sessions, most recently used first',
      auth: 'bearer',
      query: pageQuery,
      responses: { 200: { description: 'A page of sessions.', body: sessionPage } },
      problems: [400, 401, 403, 503],
    },
  },
});
