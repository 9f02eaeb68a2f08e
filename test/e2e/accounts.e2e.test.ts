/** Sign-up, login, /me and the JWKS over HTTP against the README's local stack. */
import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'accounts' });
});
afterAll(async () => {
  await stack?.stop();
});

let counter = 0;
function newPlayer() {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  return { username: `player_${tag}`, email: `player.${tag}@example.com`, password: 'correct horse battery staple' };
}

interface Grant {
  user: { id: string; username: string; email: string; roles: string[] };
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

async function signUp(player = newPlayer()): Promise<Grant & { player: typeof player }> {
  const res = await call<Grant>(`${stack.api}/signup`, { body: player });
  expect(res.status).toBe(201);
  return { ...res.body, player };
}

describe('sign-up', () => {
  it('creates the player and answers 201 with Location and tokens', async () => {
    const player = newPlayer();
    const res = await call<Grant>(`${stack.api}/signup`, { body: player });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/users/${res.body.user.id}`);
    expect(res.body.user).toMatchObject({ username: player.username, email: player.email, roles: ['player'] });
    expect(res.body.user).not.toHaveProperty('passwordHash');
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.body.expiresIn).toBe(900);
    expect(res.body.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{80,}$/);
    expect(res.body.accessToken.split('.')).toHaveLength(3);
  });

  it('answers 409 naming the field for a duplicate username or email, whatever the case', async () => {
    const { player } = await signUp();
    const sameName = await call(`${stack.api}/signup`, { body: { ...newPlayer(), username: player.username.toUpperCase() } });
    expect(sameName.status).toBe(409);
    expect(sameName.headers.get('content-type')).toBe('application/problem+json');
    expect(sameName.body['errors']).toEqual([{ field: 'username', message: 'is already taken' }]);
    const sameEmail = await call(`${stack.api}/signup`, { body: { ...newPlayer(), email: player.email.toUpperCase() } });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body['errors']).toEqual([{ field: 'email', message: 'is already registered' }]);
  });

  it('lets exactly one of many concurrent sign-ups with the same username win, leaving no orphan', async () => {
    const base = newPlayer();
    const attempts = Array.from({ length: 8 }, (_, i) => ({ ...base, email: `race${i}.${base.email}` }));
    const results = await Promise.all(attempts.map((body) => call<Grant>(`${stack.api}/signup`, { body })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    // The losers' emails were released: each can sign up under another name now.
    const loser = attempts[results.findIndex((r) => r.status === 409)];
    const retry = await call(`${stack.api}/signup`, { body: { ...loser, username: `${base.username}_2` } });
    expect(retry.status).toBe(201);
  });

  it('lets exactly one of many concurrent sign-ups with the same email win', async () => {
    const base = newPlayer();
    const attempts = Array.from({ length: 6 }, (_, i) => ({ ...base, username: `${base.username}_${i}` }));
    const results = await Promise.all(attempts.map((body) => call(`${stack.api}/signup`, { body })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(5);
    const winner = attempts[results.findIndex((r) => r.status === 201)];
    const login = await call(`${stack.api}/login`, { body: { login: base.email, password: base.password } });
    expect(login.status).toBe(200);
    expect((login.body['user'] as { username: string }).username).toBe(winner?.username);
  });
});

describe('bad input gets a 4xx problem naming the field', () => {
  it.each([
    ['a short username', { username: 'ab' }, 'username'],
    ['a username with spaces', { username: 'bad name' }, 'username'],
    ['a 33-character username', { username: 'x'.repeat(33) }, 'username'],
    ['a malformed email', { email: 'not-an-email' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['a password over 72 bytes', { password: 'é'.repeat(37) }, 'password'],
    ['a number for a string', { username: 12345 }, 'username'],
    ['an unknown field', { isAdmin: true }, 'isAdmin'],
  ])('%s', async (_, change, field) => {
    const res = await call(`${stack.api}/signup`, { body: { ...newPlayer(), ...change } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', type: expect.stringContaining('validation-failed') });
    expect((res.body['errors'] as { field: string }[]).map((e) => e.field)).toContain(field);
  });

  it('says a too-long password is refused rather than truncated', async () => {
    const res = await call(`${stack.api}/signup`, { body: { ...newPlayer(), password: 'a'.repeat(73) } });
    expect(res.status).toBe(400);
    expect(res.body['errors']).toEqual([{ field: 'password', message: expect.stringMatching(/at most 72 bytes.*refused rather than truncated/) }]);
  });

  it('names every missing field', async () => {
    const res = await call(`${stack.api}/signup`, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body['errors']).toEqual([
      { field: 'username', message: 'is required' },
      { field: 'email', message: 'is required' },
      { field: 'password', message: 'is required' },
    ]);
  });

  it('refuses a client label with control characters or a lone surrogate, naming it', async () => {
    for (const clientLabel of ['phone\u0000', 'tab\u0007', 'half \ud800']) {
      const res = await call(`${stack.api}/signup`, { body: { username: `cl${Date.now()}${Math.random().toString(36).slice(2, 6)}`, email: 'cl@example.com', password: 'long enough password', clientLabel } });
      expect(res.status).toBe(400);
      expect(res.body['errors']).toEqual([{ field: 'clientLabel', message: 'must not contain control characters' }]);
    }
  });

  it('answers 400 for malformed JSON and for a body that is not an object', async () => {
    const malformed = await call(`${stack.api}/signup`, { raw: '{"username": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body['code']).toBe('MALFORMED_JSON');
    const array = await call(`${stack.api}/login`, { raw: '[1,2]' });
    expect(array.status).toBe(400);
    expect(array.body['errors']).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('answers 415 for another content type', async () => {
    const res = await call(`${stack.api}/signup`, { raw: 'username=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body['code']).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const res = await call(`${stack.api}/signup`, { body: { ...newPlayer(), padding: 'x'.repeat(70 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body['code']).toBe('PAYLOAD_TOO_LARGE');
  });

  it('never leaves a half-written user behind a rejected sign-up', async () => {
    const player = newPlayer();
    await call(`${stack.api}/signup`, { body: { ...player, password: 'short' } });
    const res = await call(`${stack.api}/signup`, { body: player });
    expect(res.status).toBe(201);
  });
});

describe('login', () => {
  it('accepts the username or the email, in any case, and returns the token shape', async () => {
    const { player, user } = await signUp();
    for (const login of [player.username, player.email, player.email.toUpperCase(), player.username.toUpperCase()]) {
      const res = await call<Grant>(`${stack.api}/login`, { body: { login, password: player.password } });
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(user.id);
      expect(res.body.tokenType).toBe('Bearer');
      expect(res.body.refreshToken).toMatch(/^rt_/);
    }
  });

  it('gives unknown user and wrong password the same 401, body and headers', async () => {
    const { player } = await signUp();
    const wrong = await call(`${stack.api}/login`, { body: { login: player.username, password: 'not the password!' } });
    const unknown = await call(`${stack.api}/login`, { body: { login: 'nobody_here_at_all', password: 'not the password!' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
    expect(wrong.body['code']).toBe('INVALID_CREDENTIALS');
  });

  it('answers a login no account can have (/, #, \\, a lone surrogate) with the same 401, not a 500', async () => {
    const { player } = await signUp();
    const wrong = await call(`${stack.api}/login`, { body: { login: player.username, password: 'not the password!' } });
    for (const login of ['a/b', '<b>x</b>', 'a#b@example.com', 'a\\b', '\ud800abc']) {
      const res = await call(`${stack.api}/login`, { body: { login, password: 'not the password!' } });
      expect(res.status, login).toBe(401);
      expect(res.body).toEqual(wrong.body);
    }
  });

  it('spends a bcrypt compare on unknown users too, so timing does not tell them apart', async () => {
    const { player } = await signUp();
    const time = async (login: string) => {
      const started = performance.now();
      await call(`${stack.api}/login`, { body: { login, password: 'not the password!' } });
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      wrong.push(await time(player.username));
      unknown.push(await time(`ghost_${i}_${Date.now()}`));
    }
    // Without the dummy compare an unknown user answers in ~1 ms against ~60 ms; with it the two
    // medians are close. The bound is loose on purpose: shared CI machines are noisy.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
    expect(median(wrong)).toBeGreaterThan(median(unknown) * 0.5);
  });
});

describe('/me and the access token', () => {
  it('returns the caller without secrets', async () => {
    const { accessToken, user } = await signUp();
    const res = await call(`${stack.api}/me`, { token: accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, username: user.username, email: user.email });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
  });

  it('is verifiable with the published JWKS by another implementation (node:crypto)', async () => {
    const { accessToken, user } = await signUp();
    const jwks = await call<{ keys: (JsonWebKey & { kid: string; alg: string })[] }>(`${stack.api}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    const [headerB64, payloadB64, signatureB64] = accessToken.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(headerB64, 'base64url').toString()) as { alg: string; kid: string; typ: string };
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    const jwk = jwks.body.keys.find((k) => k.kid === header.kid);
    expect(jwk).toBeDefined();
    expect(jwk).not.toHaveProperty('d');
    const valid = verifySignature(
      null,
      Buffer.from(`${headerB64}.${payloadB64}`),
      createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }),
      Buffer.from(signatureB64, 'base64url'),
    );
    expect(valid).toBe(true);
    const claims = JSON.parse(Buffer.from(payloadB64, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: user.id, iss: 'player-accounts', aud: 'player-accounts', roles: ['player'] });
    expect(typeof claims['jti']).toBe('string');
    expect(typeof claims['sid']).toBe('string');
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(900);
  });

  async function expectRejected(token: string | null, authorization?: string) {
    const headers: Record<string, string> = {};
    if (authorization !== undefined) headers['authorization'] = authorization;
    const res = await call(`${stack.api}/me`, token === null ? { headers } : { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  }

  it('refuses a missing or malformed Authorization header', async () => {
    await expectRejected(null);
    await expectRejected(null, 'Basic dXNlcjpwYXNz');
    await expectRejected(null, 'Bearer');
    await expectRejected('not-a-jwt');
  });

  it('refuses a tampered payload and a tampered signature', async () => {
    const { accessToken } = await signUp();
    const [h, p, s] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const elevated = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    await expectRejected(`${h}.${elevated}.${s}`);
    const flipped = s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`;
    await expectRejected(`${h}.${p}.${flipped}`);
  });

  it('refuses any spelling of a valid token but the canonical one: padding, stray bits', async () => {
    const { accessToken } = await signUp();
    expect((await call(`${stack.api}/me`, { token: accessToken })).status).toBe(200);
    const [h, p, s] = accessToken.split('.') as [string, string, string];
    await expectRejected(`${h}.${p}.${s}=`);
    await expectRejected(`${h}.${p}.${s}==`);
    await expectRejected(`${h}.${p}=.${s}`);
    // An Ed25519 signature is 86 characters: the last one carries 4 unused bits a lenient decoder ignores.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    await expectRejected(`${h}.${p}.${s.slice(0, -1)}${alphabet[alphabet.indexOf(s.at(-1)!) | 0b1111]}`);
  });

  it('refuses alg none, HS256 keyed with the public key, and a token from another key', async () => {
    const { accessToken } = await signUp();
    const [, p] = accessToken.split('.') as [string, string, string];
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    await expectRejected(`${none}.${p}.`);

    const jwks = await call<{ keys: { x: string }[] }>(`${stack.api}/.well-known/jwks.json`);
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(new TextEncoder().encode(jwks.body.keys[0]?.x ?? ''));
    await expectRejected(hmac);

    const { generateKeyPairSync } = await import('node:crypto');
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'x' }).sign(stranger);
    await expectRejected(forged);
  });

  it('refuses an expired token, a wrong audience or issuer, and a token without typ at+jwt or kid', async () => {
    const { user } = await signUp();
    const key = await importJWK(stack.signingJwk as Parameters<typeof importJWK>[0], 'EdDSA');
    const kid = await calculateJwkThumbprint(stack.signingJwk as Parameters<typeof calculateJwkThumbprint>[0]);
    const now = Math.floor(Date.now() / 1000);
    const mint = (claims: { iss?: string; aud?: string; exp?: number; typ?: string; kid?: string | null }) =>
      new SignJWT({ roles: ['player'] })
        .setProtectedHeader({ alg: 'EdDSA', typ: claims.typ ?? 'at+jwt', ...(claims.kid === null ? {} : { kid: claims.kid ?? kid }) })
        .setSubject(user.id)
        .setIssuer(claims.iss ?? 'player-accounts')
        .setAudience(claims.aud ?? 'player-accounts')
        .setIssuedAt(now)
        .setExpirationTime(claims.exp ?? now + 600)
        .setJti('test')
        .sign(key);
    // The control: a token minted correctly with the stack's key is accepted.
    expect((await call(`${stack.api}/me`, { token: await mint({}) })).status).toBe(200);
    await expectRejected(await mint({ exp: now - 60 }));
    await expectRejected(await mint({ aud: 'another-game' }));
    await expectRejected(await mint({ iss: 'someone-else' }));
    await expectRejected(await mint({ typ: 'JWT' }));
    await expectRejected(await mint({ kid: null }));
  });
});

describe('health', () => {
  it('reports ok with each dependency checked', async () => {
    const res = await call(`${stack.api}/health`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      service: 'player-accounts',
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      checks: { cosmos: { status: 'ok' }, redis: { status: 'ok' } },
    });
    expect(Date.parse(String(res.body['timestamp']))).toBeGreaterThan(Date.now() - 60_000);
  });
});
