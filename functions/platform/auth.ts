/** Who is calling: the bearer token verified, checked against the deny list, as a Caller. */
import type { HttpRequest } from '@azure/functions';
import type { Caller } from '../core/kernel/caller.js';
import { DomainError } from '../core/kernel/errors.js';
import type { AccountDeps } from '../core/accounts/deps.js';
import { recordSightings, type PresenceDeps } from '../core/presence/presence.js';

export function bearerToken(request: HttpRequest): string {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new DomainError('UNAUTHENTICATED', 'Send the access token as "Authorization: Bearer <token>".');
  }
  return match[1];
}

/**
 * Verifies the bearer token and checks the deny list; a player's call also counts as a sighting
 * (presence), so any authenticated call keeps them online.
 */
export async function authenticate(
  request: HttpRequest,
  services: { core: Pick<AccountDeps, 'tokens' | 'revocations'>; presence: PresenceDeps },
): Promise<Caller> {
  const claims = await services.core.tokens.verify(bearerToken(request));
  if (await services.core.revocations.isRevoked(claims)) {
    throw new DomainError('UNAUTHENTICATED', 'This access token was revoked (logout, ended session or account change).');
  }
  const service = claims.roles.includes('game-server');
  const caller: Caller = { subject: claims.sub, kind: service ? 'service' : 'player', sessionId: claims.sid, roles: claims.roles, username: claims.username };
  if (!service) {
    await recordSightings(services.presence, [{ userId: caller.subject, at: services.presence.clock.now(), username: caller.username }]);
  }
  return caller;
}
