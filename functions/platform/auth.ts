/** Who is calling: the bearer token's verified claims, and role checks on them. */
import type { HttpRequest } from '@azure/functions';
import { DomainError } from '../core/errors.js';
import type { AccessTokens } from '../core/ports.js';
import type { Role } from '../core/users.js';

export interface Principal {
  userId: string;
  sessionId: string | null;
  roles: Role[];
  tokenId: string;
  expiresAt: number;
}

export async function authenticate(request: HttpRequest, tokens: AccessTokens): Promise<Principal> {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new DomainError('UNAUTHENTICATED', 'Send the access token as "Authorization: Bearer <token>".');
  }
  const claims = await tokens.verify(match[1]);
  return { userId: claims.sub, sessionId: claims.sid, roles: claims.roles, tokenId: claims.jti, expiresAt: claims.exp };
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}

export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!hasRole(principal, ...roles)) {
    throw new DomainError('FORBIDDEN', `This endpoint is for callers with the role ${roles.map((r) => `"${r}"`).join(' or ')}.`);
  }
}
