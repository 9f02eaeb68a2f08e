import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { linkIdentity as link } from '../../core/identities/linking.js';
import { LINK_PROOFS, deviceProof, identityMethod, oidcProof, steamProof } from '../../core/identities/schemas.js';
import type { Proof } from '../../core/identities/proofs.js';
import { DomainError } from '../../core/kernel/errors.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { identityView } from './contract.js';

/** POST /api/me/identities/{method}: links a device, provider or Steam identity, proved as at sign-in. */
export async function linkIdentity(request: HttpRequest, services: Pick<Services, 'identities' | 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const method = identityMethod.safeParse(routeParam(request, 'method'));
  if (!method.success) throw new DomainError('NOT_FOUND', 'No such sign-in method: use device, oidc or steam.');
  const proof = { method: method.data, proof: await readJson(request, LINK_PROOFS[method.data]) } as Proof;
  const { identity, created } = await link(services.identities, caller, proof);
  return json(created ? 201 : 200, identity);
}

httpFunction('linkIdentity', {
  route: 'me/identities/{method}',
  tag: 'identities',
  handler: linkIdentity,
  operations: {
    POST: {
      summary: 'Link a device, OpenID Connect or Steam identity to the caller',
      description:
        'method is device ({deviceId}), oidc ({provider, idToken, nonce?}) or steam ({ticket}). An identity belongs to at most one account: one linked elsewhere answers 409. Linking one already linked here answers it again (200).',
      auth: 'bearer',
      body: z.union([deviceProof, oidcProof, steamProof]),
      responses: {
        201: { description: 'Linked.', body: identityView },
        200: { description: 'Already linked to this account.', body: identityView },
      },
      problems: [400, 401, 403, 404, 409, 413, 415, 429, 502, 503],
    },
  },
});
