/** The OIDC issuer and Steam Web API stand-ins, over HTTP, with jose as a relying party would use it. */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcIssuer, type OidcIssuerStandIn } from '../../infra/identity/oidc-issuer.js';
import { startSteamStandIn, type SteamStandIn } from '../../infra/identity/steam.js';

describe('OIDC issuer stand-in', () => {
  let oidc: OidcIssuerStandIn;
  beforeAll(async () => {
    oidc = await startOidcIssuer();
  });
  afterAll(async () => {
    await oidc?.stop();
  });

  /** What the app will do: discovery, then the JWKS it names, then verify iss and aud. */
  async function verifyViaDiscovery(token: string, audience: string) {
    const config = (await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(config.issuer).toBe(oidc.issuer);
    const jwks = createRemoteJWKSet(new URL(config.jwks_uri));
    return jwtVerify(token, jwks, { issuer: config.issuer, audience, algorithms: ['RS256', 'ES256'] });
  }

  it('mints an RS256 ID token over POST /mint that verifies through discovery and the JWKS', async () => {
    const response = await fetch(`${oidc.issuer}/mint`, {
      method: 'POST',
      body: JSON.stringify({ sub: 'google-123', aud: 'client-1', nonce: 'n-1', email: 'p@example.com', email_verified: true }),
    });
    expect(response.status).toBe(200);
    const { idToken } = (await response.json()) as { idToken: string };
    const { payload, protectedHeader } = await verifyViaDiscovery(idToken, 'client-1');
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: oidc.currentKids().RS256, typ: 'JWT' });
    expect(payload).toMatchObject({ iss: oidc.issuer, sub: 'google-123', aud: 'client-1', nonce: 'n-1', email: 'p@example.com', email_verified: true });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it('mints ES256 too, adds azp for several audiences, and honours expiresIn', async () => {
    const token = await oidc.mint({ sub: 's', aud: ['web', 'android'], expiresIn: 60 }, { alg: 'ES256' });
    const { payload, protectedHeader } = await verifyViaDiscovery(token, 'android');
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.azp).toBe('web');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
    const expired = await oidc.mint({ sub: 's', aud: 'web', expiresIn: -120 });
    await expect(verifyViaDiscovery(expired, 'web')).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    await expect(verifyViaDiscovery(token, 'someone-else')).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('rotates on demand: a new kid appears in the JWKS and signs, the old one stays until dropped', async () => {
    const before = oidc.currentKids();
    const oldToken = await oidc.mint({ sub: 's', aud: 'client-1' });
    const rotated = (await (await fetch(`${oidc.issuer}/rotate`, { method: 'POST' })).json()) as { kids: { RS256: string; ES256: string } };
    expect(rotated.kids.RS256).not.toBe(before.RS256);
    expect(rotated.kids.ES256).not.toBe(before.ES256);
    const kids = async () => ((await (await fetch(oidc.jwksUri)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(await kids()).toEqual(expect.arrayContaining([rotated.kids.RS256, rotated.kids.ES256, before.RS256, before.ES256]));
    const newToken = await oidc.mint({ sub: 's', aud: 'client-1' });
    expect(decodeProtectedHeader(newToken).kid).toBe(rotated.kids.RS256);
    await expect(verifyViaDiscovery(newToken, 'client-1')).resolves.toBeTruthy();
    await expect(verifyViaDiscovery(oldToken, 'client-1')).resolves.toBeTruthy();

    await oidc.rotate({ dropPrevious: true });
    expect(await kids()).not.toContain(before.RS256);
    await expect(verifyViaDiscovery(oldToken, 'client-1')).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  it('refuses a mint without sub or aud', async () => {
    const response = await fetch(`${oidc.issuer}/mint`, { method: 'POST', body: JSON.stringify({ aud: 'x' }) });
    expect(response.status).toBe(400);
  });
});

describe('Steam Web API stand-in', () => {
  const KEY = 'PUBLISHERKEY0123456789ABCDEF';
  const APP = 2_468_000;
  const STEAM_ID = '76561197960287930';
  let steam: SteamStandIn;
  beforeAll(async () => {
    steam = await startSteamStandIn({ publisherKey: KEY, appId: APP });
  });
  afterAll(async () => {
    await steam?.stop();
  });

  const authenticate = (params: Record<string, string>) =>
    fetch(`${steam.url}/ISteamUserAuth/AuthenticateUserTicket/v1/?${new URLSearchParams(params)}`);

  it('authenticates a minted ticket as Steam does', async () => {
    const { ticket } = (await (await fetch(`${steam.url}/mint`, { method: 'POST', body: JSON.stringify({ steamId: STEAM_ID }) })).json()) as { ticket: string };
    const response = await authenticate({ key: KEY, appid: String(APP), ticket });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response: { params: { result: 'OK', steamid: STEAM_ID, ownersteamid: STEAM_ID, vacbanned: false, publisherbanned: false } },
    });
  });

  it('refuses a wrong publisher key with 403, before looking at the ticket', async () => {
    const ticket = steam.mintTicket(STEAM_ID);
    const response = await authenticate({ key: 'WRONG', appid: String(APP), ticket });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('verify your <pre>key=</pre>');
  });

  it('refuses an app id the key is not for', async () => {
    const ticket = steam.mintTicket(STEAM_ID);
    const response = await authenticate({ key: KEY, appid: '480', ticket });
    expect(response.status).toBe(403);
  });

  it('answers bad tickets with 200 and response.error', async () => {
    const unknown = await authenticate({ key: KEY, appid: String(APP), ticket: 'AB'.repeat(100) });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ response: { error: { errorcode: 101, errordesc: 'Invalid ticket' } } });
    const notHex = await authenticate({ key: KEY, appid: String(APP), ticket: 'not-a-ticket' });
    expect(await notHex.json()).toEqual({ response: { error: { errorcode: 3, errordesc: 'Invalid parameter' } } });
    const cancelled = steam.mintTicket(STEAM_ID);
    steam.cancelTicket(cancelled);
    expect(((await (await authenticate({ key: KEY, appid: String(APP), ticket: cancelled })).json()) as { response: { error?: { errorcode: number } } }).response.error?.errorcode).toBe(101);
  });

  it('checks the identity a ticket was made with, and reports family sharing and bans', async () => {
    const ticket = steam.mintTicket(STEAM_ID, { identity: 'player-accounts', ownerSteamId: '76561197960287931', vacBanned: true });
    const without = (await (await authenticate({ key: KEY, appid: String(APP), ticket })).json()) as { response: { error?: { errorcode: number } } };
    expect(without.response.error?.errorcode).toBe(101);
    const withIdentity = (await (await authenticate({ key: KEY, appid: String(APP), ticket, identity: 'player-accounts' })).json()) as {
      response: { params?: Record<string, unknown> };
    };
    expect(withIdentity.response.params).toMatchObject({ steamid: STEAM_ID, ownersteamid: '76561197960287931', vacbanned: true });
    const missing = await authenticate({ key: KEY, appid: String(APP) });
    expect(missing.status).toBe(400);
  });
});
