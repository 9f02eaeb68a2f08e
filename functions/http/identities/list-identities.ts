import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { listIdentities as list } from '../../core/identities/linking.js';
import { authenticate } from '../../platform/auth.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { identityList } from './contract.js';

/** GET /api/me/identities: the caller's linked identities and whether they have a password. */
export async function listIdentities(request: HttpRequest, services: Pick<Services, 'identities' | 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  return json(200, await list(services.identities, await authenticate(request, services)));
}

httpFunction('listIdentities', {
  route: 'me/identities',
  tag: 'identities',
  handler: listIdentities,
  operations: {
    GET: {
      summary: "List the caller's linked identities",
      auth: 'bearer',
      responses: { 200: { description: 'The linked identities.', body: identityList } },
      problems: [401, 403],
    },
  },
});
