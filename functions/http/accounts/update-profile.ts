import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { DomainError } from '../../core/kernel/errors.js';
import { updateProfile as update } from '../../core/accounts/profiles.js';
import { updateProfileInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { handle, httpEtag, json, readJson } from '../../platform/http.js';
import { getServices } from '../../platform/services.js';

/**
 * POST /api/update-profile {userId?, displayName?, avatarUrl?, email?}: the seed's name for profile
 * updates, used by game servers (userId required) and by players for themselves (userId optional).
 */
export async function updateProfile(request: HttpRequest): Promise<HttpResponseInit> {
  const services = await getServices();
  const { core } = services;
  const caller = await authenticate(request, services);
  const { userId, ...changes } = await readJson(request, updateProfileInput);
  const target = userId ?? (caller.kind === 'player' ? caller.subject : undefined);
  if (!target) {
    throw new DomainError('VALIDATION_FAILED', 'A game server must name the user.', { errors: [{ field: 'userId', message: 'is required' }] });
  }
  if (Object.keys(changes).length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'Nothing to change.', {
      errors: [{ field: 'body', message: 'must change at least one of displayName, avatarUrl, email' }],
    });
  }
  const { view, etag } = await update(core, caller, target, changes, request.headers.get('if-match') ?? undefined);
  return json(200, view, httpEtag(etag));
}

app.http('updateProfile', { route: 'update-profile', methods: ['POST'], authLevel: 'anonymous', handler: handle(updateProfile) });
