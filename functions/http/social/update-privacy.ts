import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { privacyPatch } from '../../core/social/schemas.js';
import { updatePrivacy as update } from '../../core/social/settings.js';
import { privacyView } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** PATCH /api/me/privacy {profileVisibility?, presenceVisibility?, followApproval?, searchable?}. */
export async function updatePrivacy(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const patch = await readJson(request, privacyPatch);
  return json(200, await update(services.social, caller, patch));
}

httpFunction('updatePrivacy', {
  route: 'me/privacy',
  tag: 'social',
  handler: updatePrivacy,
  operations: {
    PATCH: {
      summary: 'Change your privacy settings',
      description: 'Applied on every read of you by another player: profile, presence, lists, search. Game servers and admins see everything.',
      auth: 'bearer',
      body: privacyPatch,
      responses: { 200: { description: 'The settings now.', body: privacyView } },
      problems: [400, 401, 403, 413, 415, 503],
    },
  },
});
