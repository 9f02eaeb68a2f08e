/** A TokenCredential that hands out unsigned JWTs with an `oid`, as Entra ID does for Redis. */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

export interface IssuedToken {
  oid: string;
  token: string;
  scopes: string[];
  expiresOnTimestamp: number;
}

export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.sig`;
}

/**
 * Each getToken() answers with the next object id of `oids` (the last one repeats) and a token
 * living `lifetimeMs`; `failNext` makes the next calls throw instead.
 */
export class FakeCredential implements TokenCredential {
  readonly issued: IssuedToken[] = [];
  failNext = 0;

  constructor(
    private readonly oids: string[],
    private readonly lifetimeMs: number,
  ) {}

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('identity endpoint unavailable');
    }
    const oid = this.oids[Math.min(this.issued.length, this.oids.length - 1)] ?? 'oid';
    const expiresOnTimestamp = Date.now() + this.lifetimeMs;
    const token = fakeJwt({ oid, aud: 'https://redis.azure.com', n: this.issued.length, exp: Math.floor(expiresOnTimestamp / 1000) });
    this.issued.push({ oid, token, scopes: [scopes].flat(), expiresOnTimestamp });
    return { token, expiresOnTimestamp };
  }
}
