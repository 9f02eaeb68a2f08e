import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { confirmEmailChange as confirm } from '../../core/email/flows.js';
import { tokenInput } from '../../core/email/schemas.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { userView } from '../accounts/contract.js';

/** POST /api/email/change/confirm {token}: the new address (PATCH /api/users/{id} email) takes over. */
export async function confirmEmailChange(request: HttpRequest, services: Pick<Services, 'accounts' | 'email'>): Promise<HttpResponseInit> {
  return json(200, await confirm(services, await readJson(request, tokenInput)));
}

httpFunction('confirmEmailChange', {
  route: 'email/change/confirm',
  tag: 'email',
  handler: confirmEmailChange,
  operations: {
    POST: {
      summary: 'Confirm an email change with the token mailed to the new address',
      description:
        'The uniqueness claim moves to the new address here: if another account took it meanwhile, 409 USER_EXISTS and the account keeps its address. A used or expired token gets INVALID_TOKEN.',
      auth: 'public',
      body: tokenInput,
      responses: { 200: { description: 'Changed: the account, with its new (verified) address.', body: userView } },
      problems: [400, 409, 413, 415, 503],
    },
  },
});
