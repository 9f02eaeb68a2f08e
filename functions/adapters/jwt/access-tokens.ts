/**
 * Access tokens: short-lived JWTs signed with an asymmetric key (EdDSA on Ed25519 or ES256), so
 * game servers can verify them from the published JWKS without calling us. Verification pins the
 * algorithm, issuer, audience and `typ`, which rules out `alg: none` and key-confusion tricks.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify, SignJWT, type JWK } from 'jose';
import { DomainError } from '../../core/kernel/errors.js';
import type { AccessTokenClaims, AccessTokens, AccessTokenSubject, IssuedAccessToken } from '../../core/sessions/ports.js';
import { ROLES, type Role } from '../../core/kernel/caller.js';
import { isCanonicalCompactJws } from './compact-form.js';

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

/**
 * Where the signing key comes from: the secret provider (Key Vault in Azure, settings locally),
 * read on each use from its cache, so a rotated key takes over without a restart.
 */
export type SigningKeySource = () => Promise<string | undefined>;

interface RetiredKey {
  publicJwk: JWK;
  /** Tokens it signed are all expired after this (epoch ms). */
  until: number;
}

/** Verified tokens remembered, at most; the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 10_000;
/** Seconds of clock skew allowed on exp, as jwtVerify is told below. */
const CLOCK_TOLERANCE_SECONDS = 5;

export class JoseAccessTokens implements AccessTokens {
  private current: { text: string; key: SigningKey } | undefined;
  private retired: RetiredKey[] = [];
  private verificationKeys: ReturnType<typeof createLocalJWKSet> | undefined;
  /**
   * Tokens already verified, by their exact text, until they expire: a signature check costs more
   * than the rest of a request. Only the signature's verdict is kept; the caller still checks the
   * deny list on every request. Emptied whenever the key set changes (rotation, a retired key expiring).
   */
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(
    private readonly source: SigningKeySource,
    private readonly options: AccessTokenOptions,
  ) {}

  /**
   * The signing key in force. When the secret changes, the old public key stays published and
   * accepted for as long as tokens it signed can live, so rotation logs nobody out.
   */
  private async key(): Promise<SigningKey> {
    const text = await this.source();
    if (text === undefined) throw new Error('JWT_SIGNING_KEY is not set (in the settings, or in Key Vault as jwt-signing-key)');
    if (this.current?.text !== text) {
      const key = await parseSigningKey(text);
      const now = this.options.now();
      if (this.current && this.current.key.kid !== key.kid) {
        this.retired.push({ publicJwk: this.current.key.publicJwk, until: now + (this.options.ttlSeconds + 60) * 1000 });
      }
      this.current = { text, key };
      this.keysChanged();
    }
    return this.current.key;
  }

  /** The public keys, as served at /.well-known/jwks.json: the current one and any still-valid retired ones. */
  private keysChanged(): void {
    this.verificationKeys = undefined;
    this.verified.clear();
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const key = await this.key();
    const now = this.options.now();
    const live = this.retired.filter((r) => r.until > now);
    if (live.length !== this.retired.length) {
      this.retired = live;
      this.keysChanged();
    }
    return { keys: [key.publicJwk, ...live.map((r) => r.publicJwk)] };
  }

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const key = await this.key();
    const iat = Math.floor((subject.accountReadAtMs ?? this.options.now()) / 1000);
    const exp = iat + this.options.ttlSeconds;
    const jti = this.options.newId();
    const payload: Record<string, unknown> = { roles: subject.roles };
    if (subject.sessionId !== null) payload['sid'] = subject.sessionId;
    if (subject.username !== null) payload['preferred_username'] = subject.username;
    if (subject.emailVerified !== undefined) payload['email_verified'] = subject.emailVerified;
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: TOKEN_TYPE })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setSubject(subject.userId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(key.privateKey);
    return {
      token,
      expiresIn: this.options.ttlSeconds,
      claims: {
        sub: subject.userId,
        sid: subject.sessionId,
        roles: subject.roles,
        username: subject.username,
        ...(subject.emailVerified !== undefined ? { emailVerified: subject.emailVerified } : {}),
        jti,
        iat,
        exp,
      },
    };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    // Outside the try: a key that cannot be read is our outage (5xx), not the caller's bad token.
    const jwks = await this.jwks();
    const known = this.verified.get(token);
    if (known !== undefined) {
      if ((known.exp + CLOCK_TOLERANCE_SECONDS) * 1000 > this.options.now()) return known;
      this.verified.delete(token);
    }
    // One token, one spelling: jose would also accept padding, "+" "/" and stray trailing bits.
    if (!isCanonicalCompactJws(token)) throw invalidToken();
    this.verificationKeys ??= createLocalJWKSet(jwks);
    let payload: Record<string, unknown>;
    let kid: unknown;
    try {
      ({ payload, protectedHeader: { kid } } = await jwtVerify(token, this.verificationKeys, {
        // Pinned to the algorithms of our own keys: never "none", never HMAC.
        algorithms: [...new Set(jwks.keys.map((k) => k.alg as SigningAlgorithm))],
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: TOKEN_TYPE,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        currentDate: new Date(this.options.now()),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch {
      throw invalidToken();
    }
    // Ours always name their key; with a single key jose would pick it for a token that names none.
    if (typeof kid !== 'string') throw invalidToken();
    const roles = payload['roles'];
    const sid = payload['sid'];
    const username = payload['preferred_username'];
    if (!Array.isArray(roles) || !roles.every((r): r is Role => (ROLES as readonly unknown[]).includes(r))) throw invalidToken();
    if (sid !== undefined && typeof sid !== 'string') throw invalidToken();
    const claims: AccessTokenClaims = {
      sub: String(payload['sub']),
      sid: sid ?? null,
      roles,
      username: typeof username === 'string' ? username : null,
      ...(typeof payload['email_verified'] === 'boolean' ? { emailVerified: payload['email_verified'] } : {}),
      jti: String(payload['jti']),
      iat: Number(payload['iat']),
      exp: Number(payload['exp']),
    };
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, claims);
    return claims;
  }
}

function invalidToken(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'The access token is missing, malformed, expired or not ours.');
}
