import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { reindexPlayers as reindex } from '../../core/social/lifecycle.js';
import { reindexBatch } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readOptionalJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

const reindexInput = z.strictObject({ cursor: z.string().max(4096).optional() }).optional();

/** POST /api/admin/players/reindex {cursor?}: one batch of the search index rebuild (admins). */
export async function reindexPlayers(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readOptionalJson(request, reindexInput);
  return json(200, await reindex(services.social, caller, input?.cursor || undefined));
}

httpFunction('reindexPlayers', {
  route: 'admin/players/reindex',
  tag: 'social',
  handler: reindexPlayers,
  operations: {
    POST: {
      summary: 'Rebuild the player search index, one batch',
      description: 'Reads 100 users by username and puts the searchable ones in the index; call again with the cursor it answers until that is null.',
      auth: 'bearer',
      body: reindexInput,
      responses: { 200: { description: 'How many were indexed, and where to go on.', body: reindexBatch } },
      problems: [400, 401, 403, 413, 415, 503],
    },
  },
});
