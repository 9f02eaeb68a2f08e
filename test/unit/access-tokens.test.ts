/** Access tokens: signing with the key in force, and rotating it without logging anyone out. */
import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { JoseAccessTokens } from '../../functions/adapters/jwt/access-tokens.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import { isCanonicalBase64url } from '../../functions/adapters/jwt/compact-form.js';

const newKey = () => JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
const subject = { userId: 'u-1', sessionId: 's-1', roles: ['player' as const], username: 'alice' };

function tokens(source: () => Promise<string | undefined>, clock: { ms: number }) {
  let n = 0;
  return new JoseAccessTokens(source, { issuer: 'iss', audience: 'aud', ttlSeconds: 900, now: () => clock.ms, newId: () => `jti-${++n}` });
}

describe('JoseAccessTokens', () => {
  it('issues tokens that verify, with the claims the app relies on', async () => {
    const key = newKey();
    const t = tokens(async () => key, { ms: Date.now() });
    const issued = await t.issue(subject);
    expect(await t.verify(issued.token)).toMatchObject({ sub: 'u-1', sid: 's-1', roles: ['player'], username: 'alice', jti: 'jti-1' });
  });

  it('dates a token from when the account it describes was read, when told', async () => {
    const key = newKey();
    const clock = { ms: Date.parse('2026-01-01T00:00:05.500Z') };
    const t = tokens(async () => key, clock);
    const issued = await t.issue({ ...subject, accountReadAtMs: clock.ms - 2_000 });
    expect(issued.claims.iat).toBe(Date.parse('2026-01-01T00:00:03Z') / 1000);
    expect(issued.claims.exp).toBe(issued.claims.iat + 900);
    expect((await t.verify(issued.token)).iat).toBe(issued.claims.iat);
    expect((await t.issue(subject)).claims.iat).toBe(Date.parse('2026-01-01T00:00:05Z') / 1000);
  });

  it('picks up a rotated key: new tokens use it, old ones stay valid until they expire, then the old key leaves the JWKS', async () => {
    let key = newKey();
    const clock = { ms: Date.now() };
    const t = tokens(async () => key, clock);
    const before = await t.issue(subject);
    const [oldKid] = (await t.jwks()).keys.map((k) => k.kid);
    key = newKey();
    const after = await t.issue(subject);
    const jwks = await t.jwks();
    expect(jwks.keys).toHaveLength(2);
    const header = JSON.parse(Buffer.from(after.token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string };
    expect(header.kid).not.toBe(oldKid);
    expect((await t.verify(before.token)).jti).toBe('jti-1');
    expect((await t.verify(after.token)).jti).toBe('jti-2');
    clock.ms += 961_000; // the old key's tokens are all past exp (+ slack)
    expect((await t.jwks()).keys.map((k) => k.kid)).toEqual([header.kid]);
    await expect(t.verify(before.token)).rejects.toBeInstanceOf(DomainError);
  });

  it('remembers a verified token only until it expires', async () => {
    const key = newKey();
    const clock = { ms: Date.now() };
    const t = tokens(async () => key, clock);
    const issued = await t.issue(subject);
    const first = await t.verify(issued.token);
    expect(await t.verify(issued.token)).toEqual(first);
    clock.ms += 906_000; // past exp and the 5 s tolerance
    await expect(t.verify(issued.token)).rejects.toBeInstanceOf(DomainError);
  });

  it('refuses a token whose header names no key, even one signed with ours', async () => {
    const key = newKey();
    const t = tokens(async () => key, { ms: Date.now() });
    const noKid = await new SignJWT({ roles: ['player'], sid: 's-1' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
      .setIssuer('iss')
      .setAudience('aud')
      .setSubject('u-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('jti-x')
      .sign(createPrivateKey({ key: JSON.parse(key) as JsonWebKey, format: 'jwk' }));
    await expect(t.verify(noKid)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses every spelling of a valid token but the canonical one (RFC 7515: unpadded base64url)', async () => {
    const key = newKey();
    const t = tokens(async () => key, { ms: Date.now() });
    const { token } = await t.issue(subject);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect((await t.verify(token)).sub).toBe('u-1');
    /** The same bytes with the last character's unused low bits set (none when the length is 4n). */
    const strayBits = (segment: string) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      if (segment.length % 4 === 0) return segment;
      const unused = segment.length % 4 === 2 ? 0b1111 : 0b11;
      return segment.slice(0, -1) + alphabet[alphabet.indexOf(segment.at(-1)!) | unused];
    };
    // A lenient decoder reads the stray-bit spelling as the same signature: the case that matters.
    expect(strayBits(s)).not.toBe(s);
    expect(Buffer.from(strayBits(s), 'base64url')).toEqual(Buffer.from(s, 'base64url'));
    const toStandard = (segment: string) => segment.replaceAll('-', '+').replaceAll('_', '/');
    const variants = [
      `${h}.${p}.${s}=`,
      `${h}.${p}.${s}==`,
      `${h}=.${p}.${s}`,
      `${h}.${p}=.${s}`,
      `${h}.${p}.${s.slice(0, 10)} ${s.slice(10)}`,
      `${h}.${p}.${s}\n`,
      `${h}.${p}.${strayBits(s)}`,
      `${h}.${strayBits(p)}.${s}`,
      `${strayBits(h)}.${p}.${s}`,
      `${toStandard(h)}.${toStandard(p)}.${toStandard(s)}`,
    ].filter((v) => v !== token);
    expect(variants.length).toBeGreaterThanOrEqual(7);
    for (const variant of variants) {
      await expect(t.verify(variant), JSON.stringify(variant)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('knows canonical base64url', () => {
    expect(isCanonicalBase64url('AQ')).toBe(true);
    expect(isCanonicalBase64url('AR')).toBe(false); // trailing bits set
    expect(isCanonicalBase64url('AQ==')).toBe(false);
    expect(isCanonicalBase64url('AQID')).toBe(true);
    expect(isCanonicalBase64url('A')).toBe(false); // 4n+1 characters encode no whole byte
    expect(isCanonicalBase64url('+/8')).toBe(false);
    expect(isCanonicalBase64url('-_8')).toBe(true);
    expect(isCanonicalBase64url('')).toBe(false);
  });

  it('fails loudly, not with a 401, when no signing key can be had', async () => {
    const t = tokens(async () => undefined, { ms: Date.now() });
    await expect(t.issue(subject)).rejects.toThrow(/JWT_SIGNING_KEY is not set/);
    await expect(t.verify('a.b.c')).rejects.toThrow(/JWT_SIGNING_KEY is not set/);
  });
});
