/**
 * ID tokens and Steam tickets checked by the app's adapters against the identity stand-ins over
 * HTTP: forged, expired, wrong-audience, wrong-issuer and unpinned-algorithm tokens, key rotation,
 * nonce replay in real Redis, and the Steam Web API's answers.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoseOidcVerifier, type OidcProvider } from '../../functions/adapters/oidc/jose-verifier.js';
import { RedisNonceRegistry } from '../../functions/adapters/redis/nonces.js';
import { SteamWebApi } from '../../functions/adapters/steam/web-api.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import { startOidcIssuer, type OidcIssuerStandIn } from '../../infra/identity/oidc-issuer.js';
import { startSteamStandIn, type SteamStandIn } from '../../infra/identity/steam.js';
import { testRedis, type TestRedis } from '../support/redis-client.js';

let oidc: OidcIssuerStandIn;
let otherIssuer: OidcIssuerStandIn;
let steam: SteamStandIn;
let redis: TestRedis;
beforeAll(async () => {
  [oidc, otherIssuer, steam] = await Promise.all([startOidcIssuer(), startOidcIssuer(), startSteamStandIn({ publisherKey: 'the-key', appId: 480 })]);
  redis = testRedis('identity-verification');
});
afterAll(async () => {
  await Promise.all([oidc?.stop(), otherIssuer?.stop(), steam?.stop(), redis?.stop()]);
});

function verifier(overrides: Partial<OidcProvider> = {}, cooldownMs = 0): JoseOidcVerifier {
  const provider: OidcProvider = { issuer: oidc.issuer, clientIds: ['client-1', 'client-2'], algorithms: ['RS256', 'ES256'], allowCreate: true, ...overrides };
  return new JoseOidcVerifier(new Map([['test', provider]]), { cooldownMs });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).code;
}

describe('JoseOidcVerifier', () => {
  it('verifies a good token through discovery, with any configured client id as audience', async () => {
    const v = verifier();
    const token = await oidc.mint({ sub: 'user-1', aud: 'client-2', nonce: 'n', email: 'p@example.com' });
    const verified = await v.verify('test', token);
    expect(verified).toMatchObject({ subject: 'user-1', nonce: 'n', email: 'p@example.com' });
    expect(verified.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect((await v.verify('test', await oidc.mint({ sub: 'user-1', aud: 'client-1' }, { alg: 'ES256' }))).nonce).toBeNull();
  });

  it('refuses a forged token: signed by another key under the issuer\'s kid, and alg none', async () => {
    const v = verifier();
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'victim', aud: 'client-1' })
      .setProtectedHeader({ alg: 'RS256', kid: oidc.currentKids().RS256 })
      .setIssuer(oidc.issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    expect(await refusal(v.verify('test', forged))).toBe('INVALID_CREDENTIALS');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ iss: oidc.issuer, sub: 'victim', aud: 'client-1', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    expect(await refusal(v.verify('test', `${header}.${claims}.`))).toBe('INVALID_CREDENTIALS');
    // The attacker's own key under a kid of its own: not among the issuer's keys.
    const own = await generateKeyPair('ES256');
    const ownKid = await new SignJWT({ sub: 'victim', aud: 'client-1' })
      .setProtectedHeader({ alg: 'ES256', kid: 'attacker-key' })
      .setIssuer(oidc.issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(own.privateKey);
    expect(await refusal(v.verify('test', ownKid))).toBe('INVALID_CREDENTIALS');
  });

  it('refuses expired, wrong-audience and wrong-issuer tokens', async () => {
    const v = verifier();
    expect(await refusal(v.verify('test', await oidc.mint({ sub: 'u', aud: 'client-1', expiresIn: -120 })))).toBe('INVALID_CREDENTIALS');
    expect(await refusal(v.verify('test', await oidc.mint({ sub: 'u', aud: 'another-app' })))).toBe('INVALID_CREDENTIALS');
    // Another issuer's token: its kid is not in this provider's keys.
    expect(await refusal(v.verify('test', await otherIssuer.mint({ sub: 'u', aud: 'client-1' })))).toBe('INVALID_CREDENTIALS');
    // Signed by the right keys but naming itself someone else: the iss check refuses it.
    const pinnedToOther = verifier({ issuer: 'https://accounts.example.com', jwksUri: oidc.jwksUri });
    expect(await refusal(pinnedToOther.verify('test', await oidc.mint({ sub: 'u', aud: 'client-1' })))).toBe('INVALID_CREDENTIALS');
    // Unless that spelling is configured as an alias of the provider's issuer.
    const aliased = verifier({ issuer: 'https://accounts.example.com', issuerAliases: [oidc.issuer], jwksUri: oidc.jwksUri });
    expect((await aliased.verify('test', await oidc.mint({ sub: 'u', aud: 'client-1' }))).subject).toBe('u');
  });

  it('refuses an algorithm the provider is not pinned to', async () => {
    const rsOnly = verifier({ algorithms: ['RS256'] });
    expect((await rsOnly.verify('test', await oidc.mint({ sub: 'u', aud: 'client-1' }))).subject).toBe('u');
    expect(await refusal(rsOnly.verify('test', await oidc.mint({ sub: 'u', aud: 'client-1' }, { alg: 'ES256' })))).toBe('INVALID_CREDENTIALS');
  });

  it('follows a key rotation at the issuer: a new kid refetches the keys; dropped keys stop verifying', async () => {
    const v = verifier();
    const before = await oidc.mint({ sub: 'u', aud: 'client-1' });
    await v.verify('test', before);
    await oidc.rotate();
    const after = await oidc.mint({ sub: 'u', aud: 'client-1' });
    expect((await v.verify('test', after)).subject).toBe('u');
    // The previous keys stay published until dropped: tokens minted before still verify.
    expect((await v.verify('test', before)).subject).toBe('u');
    await oidc.rotate({ dropPrevious: true });
    const latest = await oidc.mint({ sub: 'u', aud: 'client-1' });
    expect((await v.verify('test', latest)).subject).toBe('u');
    // The cached set was refetched for the latest kid, and it no longer has the key `after` was signed with.
    expect(await refusal(v.verify('test', after))).toBe('INVALID_CREDENTIALS');
  });

  it('keeps using the cached keys within the refetch cooldown (an unknown kid cannot make it fetch on every request)', async () => {
    const v = verifier({}, 60_000);
    await v.verify('test', await oidc.mint({ sub: 'u', aud: 'client-1' }));
    await oidc.rotate();
    const rotated = await oidc.mint({ sub: 'u', aud: 'client-1' });
    expect(await refusal(v.verify('test', rotated))).toBe('INVALID_CREDENTIALS');
  });

  it('answers UPSTREAM_FAILED when discovery names another issuer or the keys cannot be fetched', async () => {
    const mismatched = verifier({ issuer: `${oidc.issuer}/` });
    expect(await refusal(mismatched.verify('test', await oidc.mint({ sub: 'u', aud: 'client-1' })))).toBe('UPSTREAM_FAILED');
    const unreachable = verifier({ jwksUri: 'http://127.0.0.1:1/jwks' });
    expect(await refusal(unreachable.verify('test', await oidc.mint({ sub: 'u', aud: 'client-1' })))).toBe('UPSTREAM_FAILED');
  });
});

describe('RedisNonceRegistry', () => {
  it('lets exactly one of many concurrent uses of a nonce through, and forgets it after the expiry', async () => {
    const nonces = new RedisNonceRegistry(redis.get, redis.prefix, Date.now);
    const key = `oidc-nonce:test:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => nonces.useOnce(key, Date.now() + 3_600_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const client = await redis.get();
    const ttl = await client.pTTL(`${redis.prefix}nonce:${key}`);
    expect(ttl).toBeGreaterThan(3_600_000);
    expect(ttl).toBeLessThanOrEqual(3_660_000);
  });
});

describe('SteamWebApi', () => {
  const api = (key: string | undefined, appId: number | undefined = 480) => new SteamWebApi({ baseUrl: steam.url, appId, publisherKey: async () => key });

  it('answers the SteamID of a good ticket, sending the key as a header, never in the URL', async () => {
    const steamId = '76561197960287930';
    expect(await api('the-key').authenticate(steam.mintTicket(steamId))).toEqual({ steamId });
    const last = steam.requests.at(-1)!;
    expect(last.query['appid']).toBe('480');
    expect(last.query['key']).toBeUndefined();
  });

  it('refuses cancelled, unknown, malformed and publisher-banned tickets as invalid credentials', async () => {
    const cancelled = steam.mintTicket('76561197960287931');
    steam.cancelTicket(cancelled);
    expect(await refusal(api('the-key').authenticate(cancelled))).toBe('INVALID_CREDENTIALS');
    expect(await refusal(api('the-key').authenticate('00ff00ff'))).toBe('INVALID_CREDENTIALS');
    expect(await refusal(api('the-key').authenticate('not hex!'))).toBe('INVALID_CREDENTIALS');
    expect(await refusal(api('the-key').authenticate(steam.mintTicket('76561197960287932', { publisherBanned: true })))).toBe('INVALID_CREDENTIALS');
  });

  it('says a wrong key is Steam refusing this service (502), and no key or app id is not configured (503)', async () => {
    expect(await refusal(api('wrong-key').authenticate(steam.mintTicket('76561197960287933')))).toBe('UPSTREAM_FAILED');
    expect(await refusal(api(undefined).authenticate(steam.mintTicket('76561197960287933')))).toBe('NOT_CONFIGURED');
    const noApp = new SteamWebApi({ baseUrl: steam.url, appId: undefined, publisherKey: async () => 'the-key' });
    expect(await refusal(noApp.authenticate(steam.mintTicket('76561197960287933')))).toBe('NOT_CONFIGURED');
  });
});
