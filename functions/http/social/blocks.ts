import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { pageQuery } from '../../core/kernel/paging.js';
import { listBlocks } from '../../core/social/blocks.js';
import { listPage } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** GET /api/me/blocks?limit=&cursor=: whom the caller blocks, newest first. */
export async function blocks(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await listBlocks(services.social, caller, readQuery(request, pageQuery)));
}

httpFunction('blocks', {
  route: 'me/blocks',
  tag: 'social',
  handler: blocks,
  operations: {
    GET: {
      summary: 'List the players you block',
      auth: 'bearer',
      query: pageQuery,
      responses: { 200: { description: 'Newest first.', body: listPage } },
      problems: [400, 401, 403, 503],
    },
  },
});
