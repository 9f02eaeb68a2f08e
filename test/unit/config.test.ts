import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/platform/config.js';

const minimal = {
  COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
  REDIS_URL: 'rediss://cache.example:6380',
  JWT_SIGNING_KEY: '{"kty":"OKP"}',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

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
    expect(problems({ COSMOS_ENDPOINT: '' })).toEqual([
      'COSMOS_ENDPOINT is missing',
      'REDIS_URL is missing',
      'JWT_SIGNING_KEY is missing',
    ]);
  });

  it('names malformed settings and shows their value, except secrets', () => {
    const found = problems({ ...minimal, BCRYPT_COST: '8', REDIS_URL: 'http://x', JWT_SIGNING_KEY: '' , ACCESS_TOKEN_TTL_SECONDS: 'soon' });
    expect(found).toContainEqual(expect.stringMatching(/^BCRYPT_COST .*10.* \(got "8"\)$/));
    expect(found).toContainEqual(expect.stringMatching(/^REDIS_URL must start with redis:\/\/ or rediss:\/\/ \(got "http:\/\/x"\)$/));
    expect(found).toContainEqual(expect.stringMatching(/^ACCESS_TOKEN_TTL_SECONDS .*\(got "soon"\)$/));
    expect(found).toContain('JWT_SIGNING_KEY is missing');
    const secret = problems({ ...minimal, COSMOS_KEY: '', JWT_SIGNING_KEY: undefined });
    expect(secret.join('\n')).not.toContain('OKP');
  });

  it('refuses a bcrypt cost under 10 and accepts 10 to 15', () => {
    expect(loadConfig({ ...minimal, BCRYPT_COST: '10' }).passwords.bcryptCost).toBe(10);
    expect(problems({ ...minimal, BCRYPT_COST: '16' })[0]).toMatch(/^BCRYPT_COST/);
  });
});
