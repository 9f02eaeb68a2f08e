/** Game servers authenticate as OAuth2 clients (client credentials) and get short-lived service tokens. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccountDeps, ServiceClient } from './deps.js';
import { DomainError } from '../kernel/errors.js';
import { enforce } from '../kernel/rate-limits.js';

export function hashClientSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('base64url')}`;
}

function matches(client: ServiceClient, secret: string): boolean {
  const a = Buffer.from(hashClientSecret(secret));
  const b = Buffer.from(client.secretHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface ServiceTokenGrant {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export async function issueServiceToken(deps: AccountDeps, clientId: string, clientSecret: string, ip: string | null): Promise<ServiceTokenGrant> {
  await enforce(deps.rateLimiter, deps.limits.serviceTokenPerIp, ip);
  const client = (await deps.serviceClients()).find((c) => c.id === clientId);
  // Unknown client and wrong secret look the same; hashing a SHA-256 costs microseconds either way.
  if (!client || !matches(client, clientSecret)) {
    throw new DomainError('INVALID_CREDENTIALS', 'The client id or secret is incorrect.');
  }
  await deps.revocations.readyToIssue();
  const access = await deps.tokens.issue({ userId: `client:${client.id}`, sessionId: null, roles: ['game-server'], username: null });
  return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn };
}
