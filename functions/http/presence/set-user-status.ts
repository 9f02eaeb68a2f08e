import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { setStatusInput } from '../../core/presence/schemas.js';
import { setOwnStatus } from '../../core/presence/presence.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { presenceView } from './contract.js';

/** PUT /api/user-status {status}: a player sets their own state (offline comes from logout or silence). */
export async function setUserStatus(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'presence'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { status } = await readJson(request, setStatusInput);
  return json(200, await setOwnStatus(services.presence, caller, status));
}

// GET on the same route is user-status.ts: one function per method, one path in the document.
httpFunction('setUserStatus', {
  route: 'user-status',
  tag: 'presence',
  handler: setUserStatus,
  operations: {
    PUT: {
      summary: 'Set the caller\'s own presence (players)',
      description: 'Offline is not set: it comes from logout or silence.',
      auth: 'bearer',
      body: setStatusInput,
      responses: { 200: { description: 'The caller\'s presence.', body: presenceView } },
      problems: [400, 401, 403, 413, 415, 503],
    },
  },
});
