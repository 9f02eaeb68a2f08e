import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { updateNamedProfile } from '../../core/accounts/profiles.js';
import { updateProfileInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, httpEtag, json, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/**
 * POST /api/update-profile {userId?, displayName?, avatarUrl?, email?}: the seed's name for profile
 * updates, used by game servers (userId required) and by players for themselves (userId optional).
 */
export async function updateProfile(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, updateProfileInput);
  const { view, etag } = await updateNamedProfile(services.accounts, caller, input, request.headers.get('if-match') ?? undefined);
  return json(200, view, httpEtag(etag));
}

app.http('updateProfile', { route: 'api/update-profile', methods: ['POST'], authLevel: 'anonymous', handler: handle(updateProfile) });
