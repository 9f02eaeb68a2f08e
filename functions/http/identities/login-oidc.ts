import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { signInWithIdentity } from '../../core/identities/sign-in.js';
import { oidcLoginInput } from '../../core/identities/schemas.js';
import { json, readJson, sessionOrigin } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { tokenGrant } from '../accounts/contract.js';

/** POST /api/login/oidc {provider, idToken, nonce?}: an ID token of a configured provider. */
export async function loginOidc(request: HttpRequest, services: Pick<Services, 'identities'>): Promise<HttpResponseInit> {
  const { clientLabel, ...proof } = await readJson(request, oidcLoginInput);
  const { grant, created } = await signInWithIdentity(services.identities, { method: 'oidc', proof }, sessionOrigin(request), clientLabel);
  return json(created ? 201 : 200, grant);
}

httpFunction('loginOidc', {
  route: 'login/oidc',
  tag: 'identities',
  handler: loginOidc,
  operations: {
    POST: {
      summary: 'Sign in with an OpenID Connect ID token',
      description:
        "Verified against the provider's keys (IDENTITY_PROVIDERS): signature, pinned algorithms, issuer, audience (a client id) and expiry; the nonce must match when given, and a nonce is good once. Signs in the account linked to (provider, sub), or makes one (201) when the provider allows it.",
      auth: 'public',
      body: oidcLoginInput,
      responses: {
        200: { description: 'Signed in: tokens and the account.', body: tokenGrant },
        201: { description: 'A new account was made and signed in.', body: tokenGrant },
      },
      problems: [400, 401, 409, 413, 415, 429, 502, 503],
    },
  },
});
