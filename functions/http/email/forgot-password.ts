import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { forgotPassword as forgot } from '../../core/email/flows.js';
import { forgotPasswordInput } from '../../core/email/schemas.js';
import { clientIp, json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { forgotPasswordAccepted } from './contract.js';

/** POST /api/password/forgot {email}: a reset link if the address has an account; the same answer if not. */
export async function forgotPassword(request: HttpRequest, services: Pick<Services, 'accounts' | 'email'>): Promise<HttpResponseInit> {
  const input = await readJson(request, forgotPasswordInput);
  return json(202, await forgot(services, input, clientIp(request)));
}

httpFunction('forgotPassword', {
  route: 'password/forgot',
  tag: 'email',
  handler: forgotPassword,
  operations: {
    POST: {
      summary: 'Ask for a password-reset link',
      description:
        'Enumeration-safe: 202 with the same body and the same work whether or not the address has an account (whether a mail goes out is decided when it is sent). Throttled per address and per IP.',
      auth: 'public',
      body: forgotPasswordInput,
      responses: { 202: { description: 'Accepted.', body: forgotPasswordAccepted } },
      problems: [400, 413, 415, 429, 503],
    },
  },
});
