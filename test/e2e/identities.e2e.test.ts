/** Device, OpenID Connect and Steam sign-in and linking through the local stack with its identity stand-ins. */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenGrant } from '../../functions/http/accounts/contract.js';
import { identityList, identityView } from '../../functions/http/identities/contract.js';
import { newPlayer, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

const BOOTSTRAP = 'bootstrap-token-for-the-identity-tests';
let stack: Stack;
let admin: Grant;

beforeAll(async () => {
  stack = await startStack({ label: 'identities', args: ['--identity-stand-ins'], env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP } });
  const first = await signUp(stack);
  expect((await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token: BOOTSTRAP } })).status).toBe(200);
  admin = (await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: first.refreshToken } })).body;
});
afterAll(async () => {
  await stack?.stop();
});

const newDeviceId = () => `device-${randomBytes(12).toString('hex')}`;

async function mintIdToken(claims: Record<string, unknown>): Promise<string> {
  const res = await call<{ idToken: string }>(`${stack.oidcIssuer}/mint`, { body: claims });
  expect(res.status).toBe(200);
  return res.body.idToken;
}

async function mintTicket(steamId: string): Promise<string> {
  const res = await call<{ ticket: string }>(`${stack.steamWebApiUrl}/mint`, { body: { steamId } });
  expect(res.status).toBe(200);
  return res.body.ticket;
}

const newSteamId = () => `7656119${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;

describe('device sign-in', () => {
  it('makes an account with a generated username on create, signs the same one in after, and labels the session', async () => {
    const deviceId = newDeviceId();
    const made = await call<Grant>(`${stack.api}/login/device`, { body: { deviceId, create: true, clientLabel: 'Pixel 8' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(tokenGrant.parse(made.body).user).toMatchObject({ username: expect.stringMatching(/^player_[a-z2-7]{10}$/), email: null, roles: ['player'] });
    const again = await call<Grant>(`${stack.api}/login/device`, { body: { deviceId } });
    expect(again.status).toBe(200);
    expect(again.body.user.id).toBe(made.body.user.id);
    const sessions = await call<{ items: { current: boolean; clientLabel: string | null }[] }>(`${stack.api}/me/sessions`, { token: made.body.accessToken });
    expect(sessions.body.items.find((s) => s.current)?.clientLabel).toBe('Pixel 8');
    const me = await call(`${stack.api}/me`, { token: again.body.accessToken });
    expect(me.status).toBe(200);
  });

  it('refuses an unknown id without create (401) and a short one (400 naming deviceId)', async () => {
    expect((await call(`${stack.api}/login/device`, { body: { deviceId: newDeviceId() } })).status).toBe(401);
    const short = await call<{ errors: { field: string }[] }>(`${stack.api}/login/device`, { body: { deviceId: 'too-short' } });
    expect(short.status).toBe(400);
    expect(short.body.errors.map((e) => e.field)).toEqual(['deviceId']);
  });
});

describe('OpenID Connect sign-in against the local issuer', () => {
  it('makes an account for a new subject, signs it in again, and refuses a replayed nonce', async () => {
    const sub = randomUUID();
    const nonce = randomUUID();
    const idToken = await mintIdToken({ sub, aud: 'local-client', nonce, email: 'p@example.com' });
    const made = await call<Grant>(`${stack.api}/login/oidc`, { body: { provider: 'local', idToken, nonce } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const replay = await call(`${stack.api}/login/oidc`, { body: { provider: 'local', idToken, nonce } });
    expect(replay.status).toBe(401);
    const fresh = await mintIdToken({ sub, aud: 'local-client', nonce: randomUUID() });
    const again = await call<Grant>(`${stack.api}/login/oidc`, { body: { provider: 'local', idToken: fresh } });
    expect(again.status).toBe(200);
    expect(again.body.user.id).toBe(made.body.user.id);
  });

  it('refuses expired and wrong-audience tokens, a nonce that does not match, and an unknown provider', async () => {
    const expired = await mintIdToken({ sub: randomUUID(), aud: 'local-client', expiresIn: -120 });
    expect((await call(`${stack.api}/login/oidc`, { body: { provider: 'local', idToken: expired } })).status).toBe(401);
    const otherAudience = await mintIdToken({ sub: randomUUID(), aud: 'someone-elses-client' });
    expect((await call(`${stack.api}/login/oidc`, { body: { provider: 'local', idToken: otherAudience } })).status).toBe(401);
    const withNonce = await mintIdToken({ sub: randomUUID(), aud: 'local-client', nonce: 'one' });
    expect((await call(`${stack.api}/login/oidc`, { body: { provider: 'local', idToken: withNonce, nonce: 'two' } })).status).toBe(401);
    const unknown = await call<{ errors: { field: string }[] }>(`${stack.api}/login/oidc`, { body: { provider: 'nope', idToken: withNonce } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e) => e.field)).toEqual(['provider']);
  });
});

describe('linking', () => {
  it('links Steam and a provider to a device account, signs in through each, and keeps an identity to one account', async () => {
    const device = (await call<Grant>(`${stack.api}/login/device`, { body: { deviceId: newDeviceId(), create: true } })).body;
    const steamId = newSteamId();
    expect((await call(`${stack.api}/login/steam`, { body: { ticket: await mintTicket(steamId) } })).status).toBe(401);

    const linked = await call(`${stack.api}/me/identities/steam`, { token: device.accessToken, body: { ticket: await mintTicket(steamId) } });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    expect(identityView.parse(linked.body)).toMatchObject({ method: 'steam', subject: steamId, provider: null });
    const viaSteam = await call<Grant>(`${stack.api}/login/steam`, { body: { ticket: await mintTicket(steamId) } });
    expect(viaSteam.status).toBe(200);
    expect(viaSteam.body.user.id).toBe(device.user.id);

    const sub = randomUUID();
    const oidc = await call(`${stack.api}/me/identities/oidc`, { token: device.accessToken, body: { provider: 'local', idToken: await mintIdToken({ sub, aud: 'local-client' }) } });
    expect(oidc.status).toBe(201);
    const viaOidc = await call<Grant>(`${stack.api}/login/oidc`, { body: { provider: 'local', idToken: await mintIdToken({ sub, aud: 'local-client' }) } });
    expect(viaOidc.body.user.id).toBe(device.user.id);

    const list = identityList.parse((await call(`${stack.api}/me/identities`, { token: device.accessToken })).body);
    expect(list.items.map((i) => i.method).sort()).toEqual(['device', 'oidc', 'steam']);
    expect(list.hasPassword).toBe(false);

    const other = await signUp(stack);
    const taken = await call(`${stack.api}/me/identities/steam`, { token: other.accessToken, body: { ticket: await mintTicket(steamId) } });
    expect(taken.status).toBe(409);
    expect((await call(`${stack.api}/me/identities/fax`, { token: other.accessToken, body: {} })).status).toBe(404);
  });

  it('upgrades a device account with a password, and never unlinks the last way in', async () => {
    const device = (await call<Grant>(`${stack.api}/login/device`, { body: { deviceId: newDeviceId(), create: true } })).body;
    const { username } = device.user;
    const password = 'correct horse battery staple';
    // No password yet: password login refuses it like a wrong password.
    expect((await call(`${stack.api}/login`, { body: { login: username, password } })).status).toBe(401);

    const [only] = identityList.parse((await call(`${stack.api}/me/identities`, { token: device.accessToken })).body).items;
    const last = await call(`${stack.api}/me/identities/${only!.id}`, { method: 'DELETE', token: device.accessToken });
    expect(last.status).toBe(409);

    expect((await call(`${stack.api}/me/password`, { token: device.accessToken, body: { newPassword: password } })).status).toBe(204);
    const viaPassword = await call<Grant>(`${stack.api}/login`, { body: { login: username, password } });
    expect(viaPassword.status).toBe(200);
    expect(viaPassword.body.user.id).toBe(device.user.id);
    // Once set, changing it needs the current one.
    expect((await call(`${stack.api}/me/password`, { token: viaPassword.body.accessToken, body: { newPassword: 'another long password' } })).status).toBe(400);

    expect((await call(`${stack.api}/me/identities/${only!.id}`, { method: 'DELETE', token: viaPassword.body.accessToken })).status).toBe(204);
    expect((await call(`${stack.api}/me/identities`, { token: viaPassword.body.accessToken })).body).toMatchObject({ items: [], hasPassword: true });
  });
});

describe('races', () => {
  it('makes one account of concurrent first sign-ins with the same device id', async () => {
    const deviceId = newDeviceId();
    const results = await Promise.all(Array.from({ length: 6 }, () => call<Grant>(`${stack.api}/login/device`, { body: { deviceId, create: true } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.user.id)).size).toBe(1);
  });

  it('links an identity to only one of two accounts racing for it', async () => {
    const [a, b] = await Promise.all([signUp(stack), signUp(stack)]);
    const steamId = newSteamId();
    const [ticketA, ticketB] = [await mintTicket(steamId), await mintTicket(steamId)];
    const results = await Promise.all([
      call(`${stack.api}/me/identities/steam`, { token: a.accessToken, body: { ticket: ticketA } }),
      call(`${stack.api}/me/identities/steam`, { token: b.accessToken, body: { ticket: ticketB } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = results[0]!.status === 201 ? a : b;
    const viaSteam = await call<Grant>(`${stack.api}/login/steam`, { body: { ticket: await mintTicket(steamId) } });
    expect(viaSteam.body.user.id).toBe(winner.user.id);
  });

  it('lets only one of two concurrent unlinks through when together they would leave no way in', async () => {
    const device = (await call<Grant>(`${stack.api}/login/device`, { body: { deviceId: newDeviceId(), create: true } })).body;
    expect((await call(`${stack.api}/me/identities/device`, { token: device.accessToken, body: { deviceId: newDeviceId() } })).status).toBe(201);
    const { items } = identityList.parse((await call(`${stack.api}/me/identities`, { token: device.accessToken })).body);
    const results = await Promise.all(items.map((i) => call(`${stack.api}/me/identities/${i.id}`, { method: 'DELETE', token: device.accessToken })));
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(identityList.parse((await call(`${stack.api}/me/identities`, { token: device.accessToken })).body).items).toHaveLength(1);
  });
});

describe('a banned account', () => {
  it('cannot get in through any door', async () => {
    const player = newPlayer();
    const account = await signUp(stack, player);
    const deviceId = newDeviceId();
    const steamId = newSteamId();
    const sub = randomUUID();
    for (const [method, body] of [
      ['device', { deviceId }],
      ['steam', { ticket: await mintTicket(steamId) }],
      ['oidc', { provider: 'local', idToken: await mintIdToken({ sub, aud: 'local-client' }) }],
    ] as const) {
      expect((await call(`${stack.api}/me/identities/${method}`, { token: account.accessToken, body })).status, method).toBe(201);
    }
    const ban = await call(`${stack.api}/admin/users/${account.user.id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'banned', reason: 'cheating' } });
    expect(ban.status).toBe(200);

    const doors = {
      password: await call(`${stack.api}/login`, { body: { login: player.username, password: player.password } }),
      device: await call(`${stack.api}/login/device`, { body: { deviceId, create: true } }),
      steam: await call(`${stack.api}/login/steam`, { body: { ticket: await mintTicket(steamId) } }),
      oidc: await call(`${stack.api}/login/oidc`, { body: { provider: 'local', idToken: await mintIdToken({ sub, aud: 'local-client' }) } }),
    };
    expect(Object.fromEntries(Object.entries(doors).map(([door, res]) => [door, res.status]))).toEqual({ password: 401, device: 401, steam: 401, oidc: 401 });
  });
});
