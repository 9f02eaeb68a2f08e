/** Who is calling: the bearer token verified, checked against the deny list, as a Caller. */
import type { HttpRequest } from '@azure/functions';
import type { Caller } from '../core/kernel/caller.js';
import { DomainError } from '../core/kernel/errors.js';
import type { SessionDeps } from '../core/sessions/deps.js';
import { noteCaller } from './telemetry.js';

export function bearerToken(request: HttpRequest): string {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new DomainError('UNAUTHENTICATED', 'Send the access token as "Authorization: Bearer <token>".');
  }
  return match[1];
}

/** What authentication needs: the token verifier and deny list, and what runs once a caller is known. */
export interface AuthServices {
  accounts: Pick<SessionDeps, 'tokens' | 'revocations'>;
  onAuthenticated: readonly ((caller: Caller) => Promise<void>)[];
}

/**
 * Verifies the bearer token and checks the deny list, then tells whoever listens (presence counts
 * a player's call as a sighting, so any authenticated call keeps them online).
 */
export async function authenticate(request: HttpRequest, services: AuthServices): Promise<Caller> {
  return authenticateToken(bearerToken(request), services, request);
}

/** The same check for a token that arrived elsewhere (the compatibility logout sends it in the body). */
export async function authenticateToken(token: string, services: AuthServices, request?: HttpRequest): Promise<Caller> {
  const claims = await services.accounts.tokens.verify(token);
  if (await services.accounts.revocations.isRevoked(claims)) {
    throw new DomainError('UNAUTHENTICATED', 'This access token was revoked (logout, ended session or account change).');
  }
  const service = claims.roles.includes('game-server');
  const caller: Caller = { subject: claims.sub, kind: service ? 'service' : 'player', sessionId: claims.sid, roles: claims.roles, username: claims.username };
  if (request) noteCaller(request, caller);
  for (const listener of services.onAuthenticated) await listener(caller);
  return caller;
}
