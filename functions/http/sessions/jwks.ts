import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { handle, json } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/.well-known/jwks.json: the public keys that verify our access tokens. */
export async function jwks(_request: HttpRequest, services: Pick<Services, 'accessTokens'>): Promise<HttpResponseInit> {
  const { accessTokens } = services;
  // Public and rarely changing: let game servers and CDNs cache it for a while.
  return json(200, await accessTokens.jwks(), { 'Cache-Control': 'public, max-age=300' });
}

app.http('jwks', { route: 'api/.well-known/jwks.json', methods: ['GET'], authLevel: 'anonymous', handler: handle(jwks) });
