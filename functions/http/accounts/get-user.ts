import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { viewProfile } from '../../core/social/profiles.js';
import { authenticate } from '../../platform/auth.js';
import { handle, httpEtag, json, routeParam } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/**
 * GET /api/users/{id}: the public profile with follower counts (or the public minimum where the
 * player's privacy or a block hides it); the full record for the owner and admins.
 */
export async function getUser(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { view, etag } = await viewProfile(services.social, caller, routeParam(request, 'id'));
  return json(200, view, httpEtag(etag));
}

app.http('getUser', { route: 'users/{id}', methods: ['GET'], authLevel: 'anonymous', handler: handle(getUser) });
