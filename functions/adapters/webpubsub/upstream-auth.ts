/**
 * Who may call the upstream handler: only our Web PubSub hub.
 * - With an access key (locally: the stand-in's connection string): ce-signature must hold
 *   HMAC-SHA256(connection id) under that key, as the service signs every event.
 * - In Azure (local auth off, no key): the hub's event handler uses managed-identity auth, so each
 *   call carries "Authorization: Bearer <Entra token>"; we check its signature against the
 *   tenant's published keys, its issuer (the tenant, v1 or v2 form), its audience (the resource
 *   the hub asks tokens for) and its expiry.
 * With neither configured every call is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { UpstreamAuthenticator, UpstreamProof } from '../../core/realtime/ports.js';

export interface EntraUpstreamSettings {
  /** The keys the tenant signs with (https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys). */
  jwksUrl: string;
  issuers: string[];
  audience: string;
}

export function entraUpstreamSettings(tenantId: string, audience: string, authority = 'https://login.microsoftonline.com'): EntraUpstreamSettings {
  return {
    jwksUrl: `${authority}/${tenantId}/discovery/v2.0/keys`,
    issuers: [`https://sts.windows.net/${tenantId}/`, `${authority}/${tenantId}/v2.0`],
    audience,
  };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class WebPubSubUpstreamAuthenticator implements UpstreamAuthenticator {
  private readonly keys: JWTVerifyGetKey | undefined;

  constructor(
    private readonly options: {
      accessKey: string | undefined;
      entra: EntraUpstreamSettings | undefined;
      /** The hub's host (WebHook-Request-Origin): the endpoint's host name. */
      origins: string[];
    },
  ) {
    this.keys = options.entra ? createRemoteJWKSet(new URL(options.entra.jwksUrl)) : undefined;
  }

  allowsOrigin(origin: string): boolean {
    return this.options.origins.includes(origin.trim().toLowerCase());
  }

  async verify(proof: UpstreamProof): Promise<boolean> {
    if (this.options.accessKey !== undefined) return this.verifySignature(this.options.accessKey, proof);
    if (this.keys && this.options.entra) return this.verifyToken(this.keys, this.options.entra, proof);
    return false;
  }

  private verifySignature(accessKey: string, proof: UpstreamProof): boolean {
    if (!proof.connectionId || !proof.signature) return false;
    const expected = `sha256=${createHmac('sha256', Buffer.from(accessKey, 'utf8')).update(proof.connectionId).digest('hex')}`;
    // Two values while the service rotates its keys (primary and secondary).
    return proof.signature.split(',').some((given) => sameText(given.trim(), expected));
  }

  private async verifyToken(keys: JWTVerifyGetKey, entra: EntraUpstreamSettings, proof: UpstreamProof): Promise<boolean> {
    const token = /^Bearer\s+(\S+)$/i.exec(proof.authorization ?? '')?.[1];
    if (!token) return false;
    try {
      await jwtVerify(token, keys, { issuer: entra.issuers, audience: entra.audience, algorithms: ['RS256'], clockTolerance: 300 });
      return true;
    } catch {
      return false;
    }
  }
}
