/** Upstream authentication: the access-key signature locally, the managed-identity token in Azure. */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entraUpstreamSettings, WebPubSubUpstreamAuthenticator } from '../../functions/adapters/webpubsub/upstream-auth.js';

const sign = (key: string, id: string) => `sha256=${createHmac('sha256', Buffer.from(key, 'utf8')).update(id).digest('hex')}`;

describe('with an access key', () => {
  const auth = new WebPubSubUpstreamAuthenticator({ accessKey: 'the-key', entra: undefined, origins: ['127.0.0.1'] });

  it('accepts the HMAC of the connection id, also as one of two rotated values', async () => {
    expect(await auth.verify({ connectionId: 'c1', signature: sign('the-key', 'c1'), authorization: null })).toBe(true);
    expect(await auth.verify({ connectionId: 'c1', signature: `${sign('old-key', 'c1')},${sign('the-key', 'c1')}`, authorization: null })).toBe(true);
  });

  it('refuses a missing, forged or other connection\'s signature', async () => {
    expect(await auth.verify({ connectionId: 'c1', signature: null, authorization: null })).toBe(false);
    expect(await auth.verify({ connectionId: 'c1', signature: sign('wrong', 'c1'), authorization: null })).toBe(false);
    expect(await auth.verify({ connectionId: 'c1', signature: sign('the-key', 'c2'), authorization: null })).toBe(false);
    expect(await auth.verify({ connectionId: null, signature: sign('the-key', 'c1'), authorization: null })).toBe(false);
  });

  it('allows abuse protection only from the hub\'s host', () => {
    expect(auth.allowsOrigin('127.0.0.1')).toBe(true);
    expect(auth.allowsOrigin('evil.example.com')).toBe(false);
  });
});

describe('with a managed-identity token (no key)', () => {
  const tenant = '11111111-2222-3333-4444-555555555555';
  let server: ReturnType<typeof createServer>;
  let authority = '';
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let auth: WebPubSubUpstreamAuthenticator;

  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    // The tenant's key endpoint, served locally: the same path shape as login.microsoftonline.com.
    server = createServer((req, res) => {
      if (req.url === `/${tenant}/discovery/v2.0/keys`) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    auth = new WebPubSubUpstreamAuthenticator({ accessKey: undefined, entra: entraUpstreamSettings(tenant, 'api://player-backend', authority), origins: ['game.webpubsub.azure.com'] });
  });
  afterAll(() => {
    server?.close();
  });

  const token = (claims: { iss?: string; aud?: string; exp?: string }, key = keys.privateKey) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(claims.iss ?? `https://sts.windows.net/${tenant}/`)
      .setAudience(claims.aud ?? 'api://player-backend')
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? '5m')
      .sign(key);

  it('accepts a token of the tenant for our audience, v1 or v2 issuer', async () => {
    expect(await auth.verify({ connectionId: 'c1', signature: null, authorization: `Bearer ${await token({})}` })).toBe(true);
    expect(await auth.verify({ connectionId: 'c1', signature: null, authorization: `Bearer ${await token({ iss: `${authority}/${tenant}/v2.0` })}` })).toBe(true);
  });

  it('refuses no token, another audience, another issuer, an expired token, another key', async () => {
    const other = await generateKeyPair('RS256');
    expect(await auth.verify({ connectionId: 'c1', signature: sign('k', 'c1'), authorization: null })).toBe(false);
    expect(await auth.verify({ connectionId: 'c1', signature: null, authorization: `Bearer ${await token({ aud: 'api://someone-else' })}` })).toBe(false);
    expect(await auth.verify({ connectionId: 'c1', signature: null, authorization: `Bearer ${await token({ iss: 'https://sts.windows.net/other-tenant/' })}` })).toBe(false);
    expect(await auth.verify({ connectionId: 'c1', signature: null, authorization: `Bearer ${await token({ exp: '-10m' })}` })).toBe(false);
    expect(await auth.verify({ connectionId: 'c1', signature: null, authorization: `Bearer ${await token({}, other.privateKey)}` })).toBe(false);
  });
});

it('refuses everything when neither a key nor a tenant is configured', async () => {
  const auth = new WebPubSubUpstreamAuthenticator({ accessKey: undefined, entra: undefined, origins: [] });
  expect(await auth.verify({ connectionId: 'c1', signature: sign('', 'c1'), authorization: null })).toBe(false);
});
