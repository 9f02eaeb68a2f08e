import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { verifyEmail as verify } from '../../core/email/flows.js';
import { tokenInput } from '../../core/email/schemas.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { userView } from '../accounts/contract.js';

/** POST /api/email/verify {token}: the link of the verification mail marks the address verified. */
export async function verifyEmail(request: HttpRequest, services: Pick<Services, 'accounts' | 'email'>): Promise<HttpResponseInit> {
  return json(200, await verify(services, await readJson(request, tokenInput)));
}

httpFunction('verifyEmail', {
  route: 'email/verify',
  tag: 'email',
  handler: verifyEmail,
  operations: {
    POST: {
      summary: 'Verify the email address with the token of the mailed link',
      description: 'Single use. A used, expired or unknown token gets one problem, INVALID_TOKEN. Access tokens issued after this carry email_verified: true.',
      auth: 'public',
      body: tokenInput,
      responses: { 200: { description: 'Verified: the account.', body: userView } },
      problems: [400, 413, 415, 503],
    },
  },
});
