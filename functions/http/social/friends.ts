import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { pageQuery } from '../../core/kernel/paging.js';
import { listFriends } from '../../core/social/follows.js';
import { listPage } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** GET /api/me/friends?limit=&cursor=: mutual follows, newest first. */
export async function friends(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await listFriends(services.social, caller, readQuery(request, pageQuery)));
}

httpFunction('friends', {
  route: 'me/friends',
  tag: 'social',
  handler: friends,
  operations: {
    GET: {
      summary: 'List friends (players who follow you back)',
      auth: 'bearer',
      query: pageQuery,
      responses: { 200: { description: 'Newest follow first; a page may be short and still carry a cursor.', body: listPage } },
      problems: [400, 401, 403, 503],
    },
  },
});
