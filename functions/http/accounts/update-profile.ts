import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { updateNamedProfile } from '../../core/accounts/profiles.js';
import { updateProfileInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { httpEtag, json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { userView } from './contract.js';

/**
 * POST /api/update-profile {userId?, displayName?, avatarUrl?, email?}: the seed's name for profile
 * updates, used by game servers (userId required) and by players for themselves (userId optional).
 */
export async function updateProfile(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, updateProfileInput);
  const { view, etag } = await updateNamedProfile(services.accounts, caller, input, request.headers.get('if-match') ?? undefined);
  return json(200, view, httpEtag(etag));
}

httpFunction('updateProfile', {
  route: 'update-profile',
  tag: 'accounts',
  handler: updateProfile,
  operations: {
    POST: {
      summary: 'Change a profile: a game server names the user, a player changes their own',
      auth: 'bearer',
      body: updateProfileInput,
      headers: { 'If-Match': 'Optional: the ETag last read; 412 if the user changed since.' },
      responses: { 200: { description: 'The changed account.', body: userView, headers: { ETag: 'The new version.' } } },
      problems: [400, 401, 403, 404, 409, 412, 413, 415, 503],
    },
  },
});
