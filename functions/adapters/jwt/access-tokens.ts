/**
 * Access tokens: short-lived JWTs signed with an asymmetric key (EdDSA on Ed25519 or ES256), so
 * game servers can verify them from the published JWKS without calling us. Verification pins the
 * algorithm, issuer, audience and `typ`, which rules out `alg: none` and key-confusion tricks.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify, SignJWT, type JWK } from 'jose';
import { DomainError } from '../../core/errors.js';
import type { AccessTokenClaims, AccessTokens, AccessTokenSubject, IssuedAccessToken } from '../../core/ports.js';
import { ROLES, type Role } from '../../core/users.js';

export type SigningAlgorithm = 'EdDSA' | 'ES256';

const TOKEN_TYPE = 'at+jwt';

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
  publicJwk: JWK;
}

/** Reads a private key given as a JWK (JSON) or PKCS#8 PEM; the kid is the JWK's or its thumbprint. */
export async function parseSigningKey(text: string): Promise<SigningKey> {
  const trimmed = text.trim();
  let privateKey: KeyObject;
  let givenKid: string | undefined;
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as JWK;
      givenKid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
      privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } else {
      privateKey = createPrivateKey(trimmed);
    }
  } catch {
    throw new Error('JWT_SIGNING_KEY is not a readable private key (expected a private JWK or a PKCS#8 PEM)');
  }
  let alg: SigningAlgorithm;
  if (privateKey.asymmetricKeyType === 'ed25519') alg = 'EdDSA';
  else if (privateKey.asymmetricKeyType === 'ec' && privateKey.asymmetricKeyDetails?.namedCurve === 'prime256v1') alg = 'ES256';
  else throw new Error('JWT_SIGNING_KEY must be an Ed25519 or P-256 private key');

  const exported = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = givenKid ?? (await calculateJwkThumbprint(exported));
  return { kid, alg, privateKey, publicJwk: { ...exported, kid, alg, use: 'sig' } };
}

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now: () => number;
  newId: () => string;
}

export class JoseAccessTokens implements AccessTokens {
  private readonly verificationKeys: ReturnType<typeof createLocalJWKSet>;

  constructor(
    private readonly key: SigningKey,
    private readonly options: AccessTokenOptions,
  ) {
    this.verificationKeys = createLocalJWKSet(this.jwks());
  }

  /** The public keys, as served at /.well-known/jwks.json. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const iat = Math.floor(this.options.now() / 1000);
    const exp = iat + this.options.ttlSeconds;
    const jti = this.options.newId();
    const payload: Record<string, unknown> = { roles: subject.roles };
    if (subject.sessionId !== null) payload['sid'] = subject.sessionId;
    if (subject.username !== null) payload['preferred_username'] = subject.username;
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.kid, typ: TOKEN_TYPE })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setSubject(subject.userId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(this.key.privateKey);
    return {
      token,
      expiresIn: this.options.ttlSeconds,
      claims: { sub: subject.userId, sid: subject.sessionId, roles: subject.roles, username: subject.username, jti, iat, exp },
    };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.verificationKeys, {
        algorithms: [this.key.alg],
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: TOKEN_TYPE,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        currentDate: new Date(this.options.now()),
        clockTolerance: 5,
      }));
    } catch {
      throw invalidToken();
    }
    const roles = payload['roles'];
    const sid = payload['sid'];
    const username = payload['preferred_username'];
    if (!Array.isArray(roles) || !roles.every((r): r is Role => (ROLES as readonly unknown[]).includes(r))) throw invalidToken();
    if (sid !== undefined && typeof sid !== 'string') throw invalidToken();
    return {
      sub: String(payload['sub']),
      sid: sid ?? null,
      roles,
      username: typeof username === 'string' ? username : null,
      jti: String(payload['jti']),
      iat: Number(payload['iat']),
      exp: Number(payload['exp']),
    };
  }
}

function invalidToken(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'The access token is missing, malformed, expired or not ours.');
}
