import { describe, expect, it } from 'vitest';
import { loadConfig, SETTINGS } from '../../functions/platform/config.js';
import { configProblems, MINIMAL_SETTINGS } from '../support/expect-errors.js';

const minimal = MINIMAL_SETTINGS;


describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config.cosmos).toEqual({ endpoint: minimal.COSMOS_ENDPOINT, key: undefined, database: 'player-accounts' });
    expect(config.jwt).toMatchObject({ issuer: 'player-accounts', audience: 'player-accounts', accessTokenTtlSeconds: 900 });
    expect(config.passwords.bcryptCost).toBe(12);
    expect(config.refreshTokens).toEqual({ absoluteTtlSeconds: 2_592_000, idleTtlSeconds: 604_800, reuseGraceSeconds: 10 });
    expect(config.redis.keyPrefix).toBe('pa:');
  });

  it('names every missing setting at once, and treats "" as missing', () => {
    expect(configProblems({ COSMOS_ENDPOINT: '' }, true)).toEqual([
      'COSMOS_ENDPOINT is missing',
      'REDIS_URL is missing',
      'JWT_SIGNING_KEY is missing (or set KEY_VAULT_URI to read it from Key Vault as jwt-signing-key)',
      'ServiceBusConnection__fullyQualifiedNamespace is missing (or set ServiceBusConnection to a connection string)',
    ]);
    // With a vault the signing key comes from there.
    expect(() => loadConfig({ ...minimal, JWT_SIGNING_KEY: undefined, KEY_VAULT_URI: 'https://kv.vault.azure.net/' })).not.toThrow();
  });

  it('names malformed settings and shows their value, except secrets', () => {
    const found = configProblems({ ...minimal, BCRYPT_COST: '8', REDIS_URL: 'http://x', JWT_SIGNING_KEY: '' , ACCESS_TOKEN_TTL_SECONDS: 'soon' }, true);
    expect(found).toContainEqual(expect.stringMatching(/^BCRYPT_COST .*10.* \(got "8"\)$/));
    expect(found).toContainEqual(expect.stringMatching(/^REDIS_URL must start with redis:\/\/ or rediss:\/\/ \(got "http:\/\/x"\)$/));
    expect(found).toContainEqual(expect.stringMatching(/^ACCESS_TOKEN_TTL_SECONDS .*\(got "soon"\)$/));
    expect(found).toContain('JWT_SIGNING_KEY is missing (or set KEY_VAULT_URI to read it from Key Vault as jwt-signing-key)');
    const secret = configProblems({ ...minimal, COSMOS_KEY: '', JWT_SIGNING_KEY: undefined }, true);
    expect(secret.join('\n')).not.toContain('OKP');
  });

  it('reads rate limits as max/window and refuses other shapes', () => {
    expect(loadConfig({ ...minimal, LOGIN_ACCOUNT_LIMIT: '5/60' }).limits.loginPerAccount).toEqual({ max: 5, windowSeconds: 60 });
    expect(loadConfig(minimal).limits.loginPerAccount).toEqual({ max: 10, windowSeconds: 900 });
    expect(configProblems({ ...minimal, LOGIN_IP_LIMIT: 'ten per minute' }, true)[0]).toMatch(/^LOGIN_IP_LIMIT must look like "10\/900"/);
    expect(configProblems({ ...minimal, SIGNUP_IP_LIMIT: '0/60' }, true)[0]).toMatch(/^SIGNUP_IP_LIMIT needs a max/);
  });

  it('reads game-server clients and names the bad entry without echoing the value', () => {
    const clients = [{ id: 'arena-1', secretHash: `sha256:${'a'.repeat(43)}` }];
    // Validated here; handed on as text, like every secret, to be parsed where it is used.
    expect(loadConfig({ ...minimal, GAME_SERVER_CLIENTS: JSON.stringify(clients) }).secrets.settings.GAME_SERVER_CLIENTS).toBe(JSON.stringify(clients));
    const found = configProblems({ ...minimal, GAME_SERVER_CLIENTS: JSON.stringify([{ id: 'x', secretHash: 'plain-secret' }]) }, true);
    expect(found).toEqual([expect.stringMatching(/^GAME_SERVER_CLIENTS\[0\]\.secretHash must be "sha256:"/)]);
    expect(found.join('')).not.toContain('plain-secret');
    expect(configProblems({ ...minimal, GAME_SERVER_CLIENTS: '{nope' }, true)[0]).toMatch(/^GAME_SERVER_CLIENTS must be JSON/);
  });

  it('refuses a bcrypt cost under 10 and accepts 10 to 15', () => {
    expect(loadConfig({ ...minimal, BCRYPT_COST: '10' }).passwords.bcryptCost).toBe(10);
    expect(configProblems({ ...minimal, BCRYPT_COST: '16' }, true)[0]).toMatch(/^BCRYPT_COST/);
  });
});

describe('schedules and CORS origins', () => {
  it('stops on an invalid timer schedule, naming the setting', () => {
    expect(configProblems({ ...minimal, ACTIVITY_SYNC_SCHEDULE: '0 61 * * * *' }, true)).toContainEqual(
      expect.stringMatching(/^ACTIVITY_SYNC_SCHEDULE .*minute.* \(got "0 61 \* \* \* \*"\)$/),
    );
    expect(configProblems({ ...minimal, PRESENCE_SWEEP_SCHEDULE: '*/5 * * * *' }, true)).toContainEqual(expect.stringMatching(/^PRESENCE_SWEEP_SCHEDULE .*six fields/));
    expect(configProblems({ ...minimal, EVENT_RELAY_SCHEDULE: '0 0 0 * * Funday' }, true)).toContainEqual(expect.stringMatching(/^EVENT_RELAY_SCHEDULE /));
    expect(() => loadConfig({ ...minimal, ACTIVITY_SYNC_SCHEDULE: '0 30 9 * Jan Mon', PRESENCE_SWEEP_SCHEDULE: '0 0 9-17 * * MON-FRI' })).not.toThrow();
  });

  it('reads CORS_ALLOWED_ORIGINS as a list of origins or "*", and refuses anything else', () => {
    const origins = (value: string | undefined) => SETTINGS.CORS_ALLOWED_ORIGINS.parse(value);
    expect(origins(undefined)).toEqual([]);
    expect(origins('https://game.example.com, http://localhost:3000')).toEqual(['https://game.example.com', 'http://localhost:3000']);
    expect(origins('*')).toEqual(['*']);
    expect(() => loadConfig({ ...minimal, CORS_ALLOWED_ORIGINS: '' })).not.toThrow();
    const found = (value: string) => configProblems({ ...minimal, CORS_ALLOWED_ORIGINS: value }, true);
    expect(found('https://game.example.com/play')).toContainEqual(expect.stringMatching(/^CORS_ALLOWED_ORIGINS has "https:\/\/game.example.com\/play", which is not an origin/));
    expect(found('game.example.com')).toContainEqual(expect.stringMatching(/^CORS_ALLOWED_ORIGINS has "game.example.com"/));
    expect(found('ftp://files.example.com')).toContainEqual(expect.stringMatching(/^CORS_ALLOWED_ORIGINS /));
    expect(found('*, https://game.example.com')).toContainEqual(expect.stringMatching(/^CORS_ALLOWED_ORIGINS is either "\*" alone/));
  });
});

describe('social settings', () => {
  it('default to 120/60 changes, 10/3600 reports and 16 KiB of preferences, and refuse other shapes', () => {
    expect(loadConfig(minimal).social).toEqual({
      changeLimit: { max: 120, windowSeconds: 60 },
      reportLimit: { max: 10, windowSeconds: 3600 },
      preferencesMaxBytes: 16_384,
    });
    expect(configProblems({ ...minimal, SOCIAL_CHANGE_LIMIT: 'lots' }, true)[0]).toMatch(/^SOCIAL_CHANGE_LIMIT must look like "10\/900"/);
    expect(configProblems({ ...minimal, REPORT_LIMIT: '0/60' }, true)[0]).toMatch(/^REPORT_LIMIT needs a max/);
    expect(configProblems({ ...minimal, PREFERENCES_MAX_BYTES: '20000' }, true)[0]).toMatch(/^PREFERENCES_MAX_BYTES .*\(got "20000"\)$/);
  });
});
