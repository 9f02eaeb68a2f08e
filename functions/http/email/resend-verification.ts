import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { resendVerification as resend } from '../../core/email/flows.js';
import { authenticate } from '../../platform/auth.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { mailQueued } from './contract.js';

/** POST /api/email/verify/resend: another verification mail to the signed-in player. */
export async function resendVerification(request: HttpRequest, services: Pick<Services, 'accounts' | 'email' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  await resend(services, caller);
  return json(202, { message: 'A new verification mail is on its way.' });
}

httpFunction('resendVerification', {
  route: 'email/verify/resend',
  tag: 'email',
  handler: resendVerification,
  operations: {
    POST: {
      summary: 'Send the verification mail again',
      description: 'Throttled per account (EMAIL_RESEND_ACCOUNT_LIMIT). 409 when the address is already verified.',
      auth: 'bearer',
      responses: { 202: { description: 'Queued.', body: mailQueued } },
      problems: [401, 403, 409, 429, 503],
    },
  },
});
