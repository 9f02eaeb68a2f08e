import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { jwkSet } from './contract.js';

/** GET /api/.well-known/jwks.json: the public keys that verify our access tokens. */
export async function jwks(_request: HttpRequest, services: Pick<Services, 'accessTokens'>): Promise<HttpResponseInit> {
  const { accessTokens } = services;
  // Public and rarely changing: let game servers and CDNs cache it for a while.
  return json(200, await accessTokens.jwks(), { 'Cache-Control': 'public, max-age=300' });
}

httpFunction('jwks', {
  route: '.well-known/jwks.json',
  tag: 'sessions',
  handler: jwks,
  operations: {
    GET: {
      summary: 'The public keys that verify access tokens (JWKS)',
      auth: 'public',
      responses: { 200: { description: 'The current key and any retired ones still valid.', body: jwkSet, headers: { 'Cache-Control': 'public, max-age=300' } } },
      problems: [503],
    },
  },
});
