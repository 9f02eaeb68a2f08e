import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { unlinkIdentity as unlink } from '../../core/identities/linking.js';
import { authenticate } from '../../platform/auth.js';
import { routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** DELETE /api/me/identities/{id}: refused (409) when it would leave the account no way to sign in. */
export async function unlinkIdentity(request: HttpRequest, services: Pick<Services, 'identities' | 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  await unlink(services.identities, await authenticate(request, services), routeParam(request, 'id'));
  return { status: 204 };
}

httpFunction('unlinkIdentity', {
  route: 'me/identities/{id}',
  tag: 'identities',
  handler: unlinkIdentity,
  operations: {
    DELETE: {
      summary: 'Unlink one of the caller\'s identities',
      description: 'Refused with 409 when it is the last way to sign in (no password and no other identity).',
      auth: 'bearer',
      responses: { 204: { description: 'Unlinked.' } },
      problems: [401, 403, 404, 409],
    },
  },
});
