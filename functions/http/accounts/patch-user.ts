import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { updateProfile } from '../../core/accounts/profiles.js';
import { profileChanges } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { httpEtag, json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { userView } from './contract.js';

/** PATCH /api/users/{id} {displayName?, avatarUrl?, email?}: owner or admin; If-Match for safety. */
export async function patchUser(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  // Owner or admin only: game servers change profiles through POST /api/update-profile.
  requirePlayer(caller);
  const changes = await readJson(request, profileChanges);
  const { view, etag } = await updateProfile(services.accounts, caller, routeParam(request, 'id'), changes, request.headers.get('if-match') ?? undefined);
  return json(200, view, httpEtag(etag));
}

httpFunction('patchUser', {
  route: 'users/{id}',
  tag: 'accounts',
  handler: patchUser,
  operations: {
    PATCH: {
      summary: 'Change a profile (the owner or an admin)',
      auth: 'bearer',
      body: profileChanges,
      headers: { 'If-Match': 'Optional: the ETag last read; 412 if the user changed since.' },
      responses: { 200: { description: 'The changed account.', body: userView, headers: { ETag: 'The new version.' } } },
      problems: [400, 401, 403, 404, 409, 412, 413, 415, 503],
    },
  },
});
