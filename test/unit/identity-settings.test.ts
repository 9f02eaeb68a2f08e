/** IDENTITY_PROVIDERS and the Steam settings, validated at start-up. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/platform/config.js';
import { configProblems, MINIMAL_SETTINGS } from '../support/expect-errors.js';

const google = { issuer: 'https://accounts.google.com', clientIds: ['123.apps.googleusercontent.com'] };

describe('identity settings', () => {
  it('read providers with their defaults: RS256 only, no account creation, keys through discovery', () => {
    const config = loadConfig({ ...MINIMAL_SETTINGS, IDENTITY_PROVIDERS: JSON.stringify({ google }) });
    expect(config.identities.providers.get('google')).toEqual({ ...google, issuerAliases: [], algorithms: ['RS256'], allowCreate: false });
    expect(config.identities.steam).toEqual({ baseUrl: 'https://partner.steam-api.com', appId: undefined });
    expect([...loadConfig(MINIMAL_SETTINGS).identities.providers.keys()]).toEqual([]);
  });

  it('add the local issuer stand-in as provider "local" when npm start runs it, unless "local" is configured', () => {
    const withStandIn = loadConfig({ ...MINIMAL_SETTINGS, IDENTITY_STAND_IN_OIDC_ISSUER: 'http://127.0.0.1:4100', STEAM_APP_ID: '480' });
    expect(withStandIn.identities.providers.get('local')).toEqual({ issuer: 'http://127.0.0.1:4100', issuerAliases: [], clientIds: ['local-client'], algorithms: ['RS256', 'ES256'], allowCreate: true });
    expect(withStandIn.identities.steam.appId).toBe(480);
    const own = loadConfig({ ...MINIMAL_SETTINGS, IDENTITY_STAND_IN_OIDC_ISSUER: 'http://127.0.0.1:4100', IDENTITY_PROVIDERS: JSON.stringify({ local: google }) });
    expect(own.identities.providers.get('local')?.issuer).toBe(google.issuer);
  });

  it('name what is wrong with a provider: not JSON, no client ids, an unpinnable algorithm, an unknown field', () => {
    expect(configProblems({ ...MINIMAL_SETTINGS, IDENTITY_PROVIDERS: '{google' })).toEqual([expect.stringMatching(/^IDENTITY_PROVIDERS must be JSON/)]);
    const found = configProblems({
      ...MINIMAL_SETTINGS,
      IDENTITY_PROVIDERS: JSON.stringify({ a: { ...google, clientIds: [] }, b: { ...google, algorithms: ['HS256'] }, c: { ...google, audience: 'x' } }),
    });
    expect(found.join('\n')).toMatch(/IDENTITY_PROVIDERS\.a\.clientIds needs at least one client id/);
    expect(found.join('\n')).toMatch(/IDENTITY_PROVIDERS\.b\.algorithms\[0\]/);
    expect(found.join('\n')).toMatch(/IDENTITY_PROVIDERS\.c/);
    expect(configProblems({ ...MINIMAL_SETTINGS, IDENTITY_PROVIDERS: JSON.stringify({ 'bad name': google }) })).toEqual(['IDENTITY_PROVIDERS.bad name Invalid key in record']);
    expect(configProblems({ ...MINIMAL_SETTINGS, DEVICE_ID_HASH_KEY: 'short' })).toEqual(['DEVICE_ID_HASH_KEY must be at least 32 characters']);
  });
});
