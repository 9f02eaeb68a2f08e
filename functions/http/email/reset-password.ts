import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { resetPassword as reset } from '../../core/email/flows.js';
import { resetPasswordInput } from '../../core/email/schemas.js';
import { readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/password/reset {token, newPassword}: sets the password and ends every session. */
export async function resetPassword(request: HttpRequest, services: Pick<Services, 'accounts' | 'email'>): Promise<HttpResponseInit> {
  await reset(services, await readJson(request, resetPasswordInput));
  return { status: 204 };
}

httpFunction('resetPassword', {
  route: 'password/reset',
  tag: 'email',
  handler: resetPassword,
  operations: {
    POST: {
      summary: 'Set a new password with the token of the reset link',
      description:
        'Single use; the link expires sooner than a verification link. Ends every session and access token, clears the login lockout, emits userPasswordReset and mails a notice. A used or expired token gets INVALID_TOKEN.',
      auth: 'public',
      body: resetPasswordInput,
      responses: { 204: { description: 'The password is set; log in with it.' } },
      problems: [400, 413, 415, 503],
    },
  },
});
