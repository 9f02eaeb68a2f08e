import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { updateProfile } from '../../core/accounts/profiles.js';
import { profileChanges } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, httpEtag, json, readJson, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** PATCH /api/users/{id} {displayName?, avatarUrl?, email?}: owner or admin; If-Match for safety. */
export async function patchUser(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  // Owner or admin only: game servers change profiles through POST /api/update-profile.
  requirePlayer(caller);
  const changes = await readJson(request, profileChanges);
  const { view, etag } = await updateProfile(accounts, caller, routeParam(request, 'id'), changes, request.headers.get('if-match') ?? undefined);
  return json(200, view, httpEtag(etag));
}

app.http('patchUser', { route: 'api/users/{id}', methods: ['PATCH'], authLevel: 'anonymous', handler: handle(patchUser) });
