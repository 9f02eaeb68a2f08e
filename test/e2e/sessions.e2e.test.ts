/** Sessions over HTTP: rotation, reuse, logout, session management, password change, throttling. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, newPlayer, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    label: 'sessions',
    env: { REFRESH_TOKEN_REUSE_GRACE_SECONDS: '2', LOGIN_ACCOUNT_LIMIT: '3/900' },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const refresh = (refreshToken: string) => call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken } });
const me = (token: string) => call(`${stack.api}/me`, { token });

describe('refresh tokens', () => {
  it('rotate on every use; the new access token works', async () => {
    const first = await signUp(stack);
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(second.body.sessionId).toBe(first.sessionId);
    expect(second.body.user.id).toBe(first.user.id);
    expect((await me(second.body.accessToken)).status).toBe(200);
    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);
  });

  it('give a retry within the grace window the same successor, and revoke the family after it', async () => {
    const first = await signUp(stack);
    const a = await refresh(first.refreshToken);
    const retry = await refresh(first.refreshToken);
    expect(retry.status).toBe(200);
    expect(retry.body.refreshToken).toBe(a.body.refreshToken);
    await new Promise((r) => setTimeout(r, 2_300));
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.headers.get('content-type')).toBe('application/problem+json');
    // The whole family is gone: the legitimate successor and the session's access tokens.
    expect((await refresh(a.body.refreshToken)).status).toBe(401);
    expect((await me(a.body.accessToken)).status).toBe(401);
  });

  it('survive a concurrent double refresh: both answers carry the same successor', async () => {
    const first = await signUp(stack);
    const results = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken), refresh(first.refreshToken)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(results.map((r) => r.body.refreshToken)).size).toBe(1);
    expect((await refresh(results[0]?.body.refreshToken ?? '')).status).toBe(200);
  });

  it('refuse garbage and missing fields with problems', async () => {
    expect((await refresh('rt_garbage')).status).toBe(401);
    const missing = await call(`${stack.api}/token/refresh`, { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body['errors']).toEqual([{ field: 'refreshToken', message: 'is required' }]);
  });
});

describe('logout', () => {
  it('makes both the access and the refresh token stop working', async () => {
    const grant = await signUp(stack);
    const out = await call(`${stack.api}/logout`, { method: 'POST', token: grant.accessToken });
    expect(out.status).toBe(204);
    expect((await me(grant.accessToken)).status).toBe(401);
    expect((await refresh(grant.refreshToken)).status).toBe(401);
  });

  it('leaves the player\'s other sessions alone', async () => {
    const grant = await signUp(stack);
    const other = await logIn(stack, grant.player);
    await call(`${stack.api}/logout`, { method: 'POST', token: grant.accessToken });
    expect((await me(other.accessToken)).status).toBe(200);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });
});

describe('session management', () => {
  it('lists sessions with their origin, ends one, and ends all but the current', async () => {
    const grant = await signUp(stack);
    const phone = await call<Grant>(`${stack.api}/login`, {
      body: { login: grant.player.email, password: grant.player.password, clientLabel: 'phone' },
      headers: { 'user-agent': 'PhoneApp/1.0' },
    });
    const tablet = await logIn(stack, grant.player);
    const list = await call<{ items: { id: string; current: boolean; clientLabel: string | null; userAgent: string | null; ip: string | null }[]; cursor: string | null }>(
      `${stack.api}/me/sessions`,
      { token: grant.accessToken },
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(3);
    expect(list.body.items.find((s) => s.current)?.id).toBe(grant.sessionId);
    const phoneSession = list.body.items.find((s) => s.id === phone.body.sessionId);
    expect(phoneSession).toMatchObject({ clientLabel: 'phone', userAgent: 'PhoneApp/1.0', ip: expect.stringMatching(/127\.0\.0\.1/) });

    const paged = await call<{ items: unknown[]; cursor: string | null }>(`${stack.api}/me/sessions?limit=2`, { token: grant.accessToken });
    expect(paged.body.items).toHaveLength(2);
    expect(paged.body.cursor).toBeTruthy();
    const rest = await call<{ items: unknown[]; cursor: string | null }>(`${stack.api}/me/sessions?limit=2&cursor=${paged.body.cursor}`, { token: grant.accessToken });
    expect(rest.body.items).toHaveLength(1);

    expect((await call(`${stack.api}/me/sessions/${phone.body.sessionId}`, { method: 'DELETE', token: grant.accessToken })).status).toBe(204);
    expect((await me(phone.body.accessToken)).status).toBe(401);
    expect((await refresh(phone.body.refreshToken)).status).toBe(401);
    expect((await call(`${stack.api}/me/sessions/${phone.body.sessionId}`, { method: 'DELETE', token: grant.accessToken })).status).toBe(404);

    const others = await call(`${stack.api}/me/sessions`, { method: 'DELETE', token: grant.accessToken });
    expect(others.status).toBe(200);
    expect(others.body).toEqual({ ended: 1 });
    expect((await me(tablet.accessToken)).status).toBe(401);
    expect((await me(grant.accessToken)).status).toBe(200);
  });

  it('cannot end another player\'s session', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    expect((await call(`${stack.api}/me/sessions/${b.sessionId}`, { method: 'DELETE', token: a.accessToken })).status).toBe(404);
    expect((await me(b.accessToken)).status).toBe(200);
  });

  it('rejects a cursor that is not ours and a bad limit', async () => {
    const grant = await signUp(stack);
    const badCursor = await call(`${stack.api}/me/sessions?cursor=%%%`, { token: grant.accessToken });
    expect(badCursor.status).toBe(400);
    const badLimit = await call(`${stack.api}/me/sessions?limit=1000`, { token: grant.accessToken });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body['errors']).toEqual([{ field: 'limit', message: 'must be at most 100' }]);
  });
});

describe('password change', () => {
  it('needs the current password, ends every other session, and keeps this one', async () => {
    const grant = await signUp(stack);
    const other = await logIn(stack, grant.player);
    const wrong = await call(`${stack.api}/me/password`, { token: grant.accessToken, body: { currentPassword: 'not it at all', newPassword: 'a brand new password' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body['errors']).toEqual([{ field: 'currentPassword', message: 'is incorrect' }]);
    const weak = await call(`${stack.api}/me/password`, { token: grant.accessToken, body: { currentPassword: grant.player.password, newPassword: 'short' } });
    expect(weak.status).toBe(400);
    const ok = await call(`${stack.api}/me/password`, { token: grant.accessToken, body: { currentPassword: grant.player.password, newPassword: 'a brand new password' } });
    expect(ok.status).toBe(204);
    expect((await me(other.accessToken)).status).toBe(401);
    expect((await refresh(other.refreshToken)).status).toBe(401);
    expect((await me(grant.accessToken)).status).toBe(200);
    expect((await call(`${stack.api}/login`, { body: { login: grant.player.username, password: grant.player.password } })).status).toBe(401);
    await logIn(stack, { ...grant.player, password: 'a brand new password' });
  });
});

describe('login lockout', () => {
  const attempt = (login: string, password: string) => call(`${stack.api}/login`, { body: { login, password } });

  it('locks an account after 3 failures with 429 and Retry-After, the same for an unknown account', async () => {
    const { player } = await signUp(stack);
    for (let i = 0; i < 3; i++) expect((await attempt(player.username, 'wrong password!')).status).toBe(401);
    const locked = await attempt(player.username, player.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    const ghost = `ghost_${Date.now()}`;
    for (let i = 0; i < 3; i++) expect((await attempt(ghost, 'wrong password!')).status).toBe(401);
    const ghostLocked = await attempt(ghost, 'wrong password!');
    expect(ghostLocked.status).toBe(429);
    expect(ghostLocked.body).toEqual(locked.body);
  });

  it('lets no more concurrent wrong guesses through than the limit', async () => {
    const { player } = await signUp(stack);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => attempt(player.username, 'wrong password!').then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
  });

  it('resets the account counter on a successful login', async () => {
    const { player } = await signUp(stack);
    for (let i = 0; i < 2; i++) await attempt(player.username, 'wrong password!');
    expect((await attempt(player.username, player.password)).status).toBe(200);
    for (let i = 0; i < 2; i++) await attempt(player.email, 'wrong password!');
    expect((await attempt(player.email, player.password)).status).toBe(200);
  });
});

describe('per-IP limits', () => {
  // Starts its own stack inside the test, so it gets the hook's time for that on a busy machine.
  it('limit sign-ups per IP', { timeout: 90_000 }, async () => {
    const limited = await startStack({ label: 'signup-limit', env: { SIGNUP_IP_LIMIT: '2/3600' } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(`${limited.api}/signup`, { body: newPlayer() })).status);
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await limited.stop();
    }
  });
});
