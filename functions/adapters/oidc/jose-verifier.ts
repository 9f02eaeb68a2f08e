/**
 * ID tokens of the configured OpenID Connect providers, verified with jose: each provider's JWKS is
 * fetched once and cached (refetched for an unknown kid, at most once per cooldown), algorithms
 * are pinned, and issuer, audience (one of the client ids) and expiry are checked.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '../../core/kernel/errors.js';
import type { OidcVerifier, VerifiedIdToken } from '../../core/identities/ports.js';

export interface OidcProvider {
  issuer: string;
  /** Unset: read from the issuer's discovery document. */
  jwksUri?: string | undefined;
  /** Other spellings of iss accepted on tokens; discovery must still name `issuer`. */
  issuerAliases?: string[];
  clientIds: string[];
  algorithms: string[];
  allowCreate: boolean;
}

export interface JoseOidcOptions {
  /** How soon an unknown kid may trigger another JWKS fetch (jose's default: 30 s). */
  cooldownMs?: number;
  timeoutMs?: number;
  /** Seconds of clock skew tolerated on exp/iat/nbf. */
  clockToleranceSeconds?: number;
  now?: () => number;
}

/** jose's answers for a token that is not good: everything else is the provider being unreachable. */
const REFUSALS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);

function invalidIdToken(cause?: unknown): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'The ID token is invalid, expired or already used.', { cause });
}

export class JoseOidcVerifier implements OidcVerifier {
  private readonly keySets = new Map<string, Promise<JWTVerifyGetKey>>();
  private readonly summary: ReadonlyMap<string, { allowCreate: boolean }>;

  constructor(
    private readonly configured: ReadonlyMap<string, OidcProvider>,
    private readonly options: JoseOidcOptions = {},
  ) {
    this.summary = new Map([...configured].map(([name, p]) => [name, { allowCreate: p.allowCreate }]));
  }

  providers(): ReadonlyMap<string, { allowCreate: boolean }> {
    return this.summary;
  }

  async verify(name: string, idToken: string): Promise<VerifiedIdToken> {
    const provider = this.configured.get(name);
    if (!provider) throw invalidIdToken();
    const keys = await this.keySet(name, provider);
    try {
      const { payload } = await jwtVerify(idToken, keys, {
        issuer: [provider.issuer, ...(provider.issuerAliases ?? [])],
        audience: provider.clientIds,
        algorithms: provider.algorithms,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        ...(this.options.now ? { currentDate: new Date(this.options.now()) } : {}),
      });
      return {
        subject: payload.sub!,
        expiresAt: payload.exp!,
        nonce: typeof payload['nonce'] === 'string' ? payload['nonce'] : null,
        email: typeof payload['email'] === 'string' ? payload['email'] : null,
      };
    } catch (error) {
      if (error instanceof errors.JOSEError && REFUSALS.has(error.code)) throw invalidIdToken(error);
      throw new DomainError('UPSTREAM_FAILED', `The keys of identity provider "${name}" could not be read; try again later.`, { cause: error });
    }
  }

  private keySet(name: string, provider: OidcProvider): Promise<JWTVerifyGetKey> {
    let keys = this.keySets.get(name);
    if (!keys) {
      keys = this.jwksUri(provider).then((uri) =>
        createRemoteJWKSet(new URL(uri), { cooldownDuration: this.options.cooldownMs ?? 30_000, timeoutDuration: this.options.timeoutMs ?? 5_000 }),
      );
      // A failed discovery is retried by the next sign-in, not remembered.
      keys.catch(() => this.keySets.delete(name));
      this.keySets.set(name, keys);
    }
    return keys.catch((error: unknown) => {
      throw new DomainError('UPSTREAM_FAILED', `The discovery document of identity provider "${name}" could not be read; try again later.`, { cause: error });
    });
  }

  /** The provider's jwks_uri, from its discovery document when not configured; its issuer must match exactly. */
  private async jwksUri(provider: OidcProvider): Promise<string> {
    if (provider.jwksUri) return provider.jwksUri;
    const url = `${provider.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== provider.issuer) throw new Error(`${url} names issuer ${JSON.stringify(document.issuer)}, not ${provider.issuer}`);
    if (typeof document.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
    return document.jwks_uri;
  }
}
