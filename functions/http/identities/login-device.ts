import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { signInWithIdentity } from '../../core/identities/sign-in.js';
import { deviceLoginInput } from '../../core/identities/schemas.js';
import { json, readJson, sessionOrigin } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { tokenGrant } from '../accounts/contract.js';

/** POST /api/login/device {deviceId, create?}: the device id a game keeps; 201 when it made the account. */
export async function loginDevice(request: HttpRequest, services: Pick<Services, 'identities'>): Promise<HttpResponseInit> {
  const { deviceId, create, clientLabel } = await readJson(request, deviceLoginInput);
  const { grant, created } = await signInWithIdentity(services.identities, { method: 'device', proof: { deviceId }, create }, sessionOrigin(request), clientLabel);
  return json(created ? 201 : 200, grant);
}

httpFunction('loginDevice', {
  route: 'login/device',
  tag: 'identities',
  handler: loginDevice,
  operations: {
    POST: {
      summary: 'Sign in with a device id',
      description:
        'The device id is an opaque secret of at least 16 characters the game keeps; only its keyed hash is stored. With create: true an unknown id makes an account with a generated username (201). An unknown id otherwise, and a suspended or banned account, get the same 401.',
      auth: 'public',
      body: deviceLoginInput,
      responses: {
        200: { description: 'Signed in: tokens and the account.', body: tokenGrant },
        201: { description: 'A new account was made and signed in.', body: tokenGrant },
      },
      problems: [400, 401, 409, 413, 415, 429, 503],
    },
  },
});
