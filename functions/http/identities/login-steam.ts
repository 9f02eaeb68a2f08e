import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { signInWithIdentity } from '../../core/identities/sign-in.js';
import { steamLoginInput } from '../../core/identities/schemas.js';
import { json, readJson, sessionOrigin } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { tokenGrant } from '../accounts/contract.js';

/** POST /api/login/steam {ticket}: a Steam session ticket (hex), checked with the Steam Web API. */
export async function loginSteam(request: HttpRequest, services: Pick<Services, 'identities'>): Promise<HttpResponseInit> {
  const { ticket, clientLabel } = await readJson(request, steamLoginInput);
  const { grant } = await signInWithIdentity(services.identities, { method: 'steam', proof: { ticket } }, sessionOrigin(request), clientLabel);
  return json(200, grant);
}

httpFunction('loginSteam', {
  route: 'login/steam',
  tag: 'identities',
  handler: loginSteam,
  operations: {
    POST: {
      summary: 'Sign in with a Steam session ticket',
      description: 'ISteamUserAuth/AuthenticateUserTicket with STEAM_APP_ID and the publisher key; signs in the account the SteamID is linked to (link it first with POST /api/me/identities/steam).',
      auth: 'public',
      body: steamLoginInput,
      responses: { 200: { description: 'Signed in: tokens and the account.', body: tokenGrant } },
      problems: [400, 401, 413, 415, 429, 502, 503, 504],
    },
  },
});
