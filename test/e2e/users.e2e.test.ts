/** Users, roles, account status and game-server clients over HTTP. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gameServerToken, logIn, newPlayer, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

const BOOTSTRAP = 'bootstrap-token-for-the-e2e-tests';
let stack: Stack;
let admin: Grant;

beforeAll(async () => {
  stack = await startStack({ label: 'users', env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP } });
  const first = await signUp(stack);
  const made = await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token: BOOTSTRAP } });
  expect(made.status).toBe(200);
  // Roles travel in tokens: a refresh picks up the new one.
  const refreshed = await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: first.refreshToken } });
  admin = refreshed.body;
  expect(admin.user.roles).toEqual(['player', 'admin']);
});
afterAll(async () => {
  await stack?.stop();
});

describe('first admin', () => {
  it('happens once, and only with the right token', async () => {
    const other = await signUp(stack);
    const wrong = await call(`${stack.api}/admin/bootstrap`, { token: other.accessToken, body: { token: 'not-the-right-token-at-all' } });
    expect(wrong.status).toBe(403);
    const again = await call(`${stack.api}/admin/bootstrap`, { token: other.accessToken, body: { token: BOOTSTRAP } });
    expect(again.status).toBe(409);
  });
});

describe('GET /api/users/{id}', () => {
  it('shows others the public profile, the owner everything but secrets, admins the status details', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const asOther = await call(`${stack.api}/users/${a.user.id}`, { token: b.accessToken });
    expect(asOther.status).toBe(200);
    expect(Object.keys(asOther.body).sort()).toEqual(['avatarUrl', 'createdAt', 'displayName', 'followers', 'following', 'id', 'username']);
    const asOwner = await call(`${stack.api}/users/${a.user.id}`, { token: a.accessToken });
    expect(asOwner.body).toMatchObject({ email: a.player.email, roles: ['player'], status: 'active' });
    expect(asOwner.body).not.toHaveProperty('passwordHash');
    expect(asOwner.headers.get('etag')).toMatch(/^".+"$/);
    const asAdmin = await call(`${stack.api}/users/${a.user.id}`, { token: admin.accessToken });
    expect(asAdmin.body).toMatchObject({ email: a.player.email, statusReason: null, statusUntil: null });
  });

  it('answers 404 for an unknown user and 401 without a token', async () => {
    const a = await signUp(stack);
    expect((await call(`${stack.api}/users/00000000-0000-4000-8000-000000000000`, { token: a.accessToken })).status).toBe(404);
    expect((await call(`${stack.api}/users/${a.user.id}`)).status).toBe(401);
  });
});

describe('ids no user can have', () => {
  // Cosmos ids cannot hold / \ # (the SDK threw, a 500); they name nobody, so 404.
  const impossible = ['a%2Fb', 'a%23b', 'a%5Cb', 'x'.repeat(1100)];

  it('answer 404 on every route that names a user or a session, not a 500', async () => {
    const player = await signUp(stack);
    for (const id of impossible) {
      const checks = [
        await call(`${stack.api}/users/${id}`, { token: admin.accessToken }),
        await call(`${stack.api}/users/${id}`, { method: 'PATCH', token: admin.accessToken, body: { displayName: 'x' } }),
        await call(`${stack.api}/users/${id}`, { method: 'DELETE', token: admin.accessToken }),
        await call(`${stack.api}/admin/users/${id}/roles`, { method: 'PUT', token: admin.accessToken, body: { admin: true } }),
        await call(`${stack.api}/admin/users/${id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'active' } }),
        await call(`${stack.api}/me/sessions/${id}`, { method: 'DELETE', token: player.accessToken }),
      ];
      for (const res of checks) {
        expect(res.status, `${id}: ${JSON.stringify(res.body)}`).toBe(404);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
    }
    const server = await gameServerToken(stack);
    const named = await call(`${stack.api}/update-profile`, { token: server, body: { userId: '../../x', displayName: 'x' } });
    expect(named.status).toBe(404);
  });

  it('answer 404 NOT_FOUND, not an empty page, for stats, activity, events and status of a user that does not exist', async () => {
    const server = await gameServerToken(stack);
    const nobody = [...impossible, 'y'.repeat(3000), randomUUID()];
    for (const id of nobody) {
      const reads = [
        [`users/${id}/stats`, admin.accessToken],
        [`users/${id}/activity`, admin.accessToken],
        [`users/${id}/events`, admin.accessToken],
        [`users/${id}/stats`, server],
        [`users/${id}/activity`, server],
        // user-status?userId= takes at most 64 characters (400 past that).
        ...(id.length <= 64 ? [[`user-status?userId=${id}`, server], [`user-status?userId=${id}`, admin.accessToken]] : []),
      ] as const;
      for (const [path, token] of reads) {
        const res = await call<{ code: string }>(`${stack.api}/${path}`, { token });
        expect(res.status, `${path.slice(0, 80)}: ${JSON.stringify(res.body)}`).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    }
    // A user who exists but has done nothing yet still gets the empty answers.
    const quiet = await signUp(stack);
    expect((await call<{ total: number }>(`${stack.api}/users/${quiet.user.id}/stats`, { token: server })).body.total).toBe(0);
    expect((await call<{ items: unknown[] }>(`${stack.api}/users/${quiet.user.id}/activity`, { token: admin.accessToken })).body.items).toEqual([]);
    expect((await call(`${stack.api}/user-status?userId=${quiet.user.id}`, { token: server })).status).toBe(200);
  });
});

describe('profile updates', () => {
  it('PATCH changes displayName and avatarUrl, returning a new ETag; a stale If-Match gets 412', async () => {
    const a = await signUp(stack);
    const read = await call(`${stack.api}/users/${a.user.id}`, { token: a.accessToken });
    const etag = read.headers.get('etag') ?? '';
    const first = await call(`${stack.api}/users/${a.user.id}`, {
      method: 'PATCH', token: a.accessToken, body: { displayName: 'Alice the Bold', avatarUrl: 'https://cdn.example.com/a.png' }, headers: { 'if-match': etag },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ displayName: 'Alice the Bold', avatarUrl: 'https://cdn.example.com/a.png' });
    expect(first.headers.get('etag')).not.toBe(etag);
    const stale = await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: a.accessToken, body: { displayName: 'Lost update' }, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.body['code']).toBe('PRECONDITION_FAILED');
    const after = await call(`${stack.api}/users/${a.user.id}`, { token: a.accessToken });
    expect(after.body['displayName']).toBe('Alice the Bold');
  });

  it('re-checks a new email for uniqueness and keeps the address until the new one confirms', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const clash = await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: a.accessToken, body: { email: b.player.email.toUpperCase() } });
    expect(clash.status).toBe(409);
    expect(clash.body['errors']).toEqual([{ field: 'email', message: 'is already registered' }]);
    // A free address waits for its confirmation link (test/e2e/email-password-change.e2e.test.ts follows it through).
    const fresh = newPlayer().email;
    const pending = await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: a.accessToken, body: { email: fresh } });
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ email: a.player.email, pendingEmail: fresh });
    expect((await call(`${stack.api}/login`, { body: { login: a.player.email, password: a.player.password } })).status).toBe(200);
  });

  it('validates the changes', async () => {
    const a = await signUp(stack);
    const bad = await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: a.accessToken, body: { avatarUrl: 'http://plain.example.com/x.png', displayName: '', role: 'admin' } });
    expect(bad.status).toBe(400);
    expect((bad.body['errors'] as { field: string }[]).map((e) => e.field).sort()).toEqual(['avatarUrl', 'displayName', 'role']);
    const empty = await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: a.accessToken, body: {} });
    expect(empty.status).toBe(400);
  });

  it('is for the owner and admins; a game server uses POST /api/update-profile naming the user', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    expect((await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: b.accessToken, body: { displayName: 'hijack' } })).status).toBe(403);
    expect((await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: admin.accessToken, body: { displayName: 'By Admin' } })).status).toBe(200);
    const server = await gameServerToken(stack);
    expect((await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: server, body: { displayName: 'by server' } })).status).toBe(403);
    const noUser = await call(`${stack.api}/update-profile`, { token: server, body: { displayName: 'x' } });
    expect(noUser.status).toBe(400);
    expect(noUser.body['errors']).toEqual([{ field: 'userId', message: 'is required' }]);
    const byServer = await call(`${stack.api}/update-profile`, { token: server, body: { userId: a.user.id, displayName: 'Champion' } });
    expect(byServer.status).toBe(200);
    expect(byServer.body['displayName']).toBe('Champion');
    const bySelf = await call(`${stack.api}/update-profile`, { token: a.accessToken, body: { avatarUrl: null } });
    expect(bySelf.status).toBe(200);
    expect((await call(`${stack.api}/update-profile`, { token: b.accessToken, body: { userId: a.user.id, displayName: 'no' } })).status).toBe(403);
  });
});

describe('account deletion', () => {
  it('needs the owner\'s password, frees the username and email, and kills the tokens', async () => {
    const a = await signUp(stack);
    const noPassword = await call(`${stack.api}/users/${a.user.id}`, { method: 'DELETE', token: a.accessToken });
    expect(noPassword.status).toBe(400);
    const wrong = await call(`${stack.api}/users/${a.user.id}`, { method: 'DELETE', token: a.accessToken, body: { password: 'not my password' } });
    expect(wrong.status).toBe(400);
    const done = await call(`${stack.api}/users/${a.user.id}`, { method: 'DELETE', token: a.accessToken, body: { password: a.player.password } });
    expect(done.status).toBe(204);
    expect((await call(`${stack.api}/me`, { token: a.accessToken })).status).toBe(401);
    expect((await call(`${stack.api}/token/refresh`, { body: { refreshToken: a.refreshToken } })).status).toBe(401);
    expect((await call(`${stack.api}/users/${a.user.id}`, { token: admin.accessToken })).status).toBe(404);
    const again = await call(`${stack.api}/signup`, { body: a.player });
    expect(again.status).toBe(201);
  });

  it('lets an admin delete without a password, and nobody else', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    expect((await call(`${stack.api}/users/${a.user.id}`, { method: 'DELETE', token: b.accessToken, body: { password: b.player.password } })).status).toBe(403);
    expect((await call(`${stack.api}/users/${a.user.id}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(204);
  });
});

describe('admin user search', () => {
  it('finds by username or email prefix, paginated with an opaque cursor', async () => {
    const tag = `srch${Date.now().toString(36)}`;
    for (let i = 0; i < 5; i++) await signUp(stack, { username: `${tag}_${i}`, email: `${tag}${i}@example.com`, password: 'correct horse battery' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `${stack.api}/users?search=${tag}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call<{ items: { username: string; email: string; statusReason: null }[]; cursor: string | null }>(url, { token: admin.accessToken });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((u) => u.username));
      cursor = page.body.cursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `${tag}_${i}`));
    const byEmail = await call<{ items: unknown[] }>(`${stack.api}/users?search=${tag}3@`, { token: admin.accessToken });
    expect(byEmail.body.items).toHaveLength(1);
  });

  it('answers a printable cursor that is no continuation token with 400 naming cursor, on every Cosmos-paged list', async () => {
    const a = await signUp(stack);
    // Each decodes to printable text, so it reached Cosmos, which refused it with a 400 (we said 500).
    for (const text of ['{}', '[]', '1', '"x"']) {
      const cursor = Buffer.from(text).toString('base64url');
      for (const [url, token] of [
        [`${stack.api}/users?cursor=${cursor}`, admin.accessToken],
        [`${stack.api}/me/sessions?cursor=${cursor}`, a.accessToken],
        [`${stack.api}/users/${a.user.id}/events?cursor=${cursor}`, a.accessToken],
      ] as const) {
        const res = await call(url, { token });
        expect(res.status, `${text} ${url}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body['errors']).toEqual([{ field: 'cursor', message: 'is not a cursor of ours' }]);
      }
    }
  });

  it('reads an empty cursor as the first page on every list', async () => {
    const a = await signUp(stack);
    const server = await gameServerToken(stack);
    for (const [url, token] of [
      [`${stack.api}/users?search=${a.user.username}&cursor=`, admin.accessToken],
      [`${stack.api}/me/sessions?cursor=`, a.accessToken],
      [`${stack.api}/users/${a.user.id}/events?cursor=`, a.accessToken],
      [`${stack.api}/users/${a.user.id}/activity?cursor=`, a.accessToken],
      [`${stack.api}/active-users?cursor=`, server],
    ] as const) {
      const res = await call<{ items: unknown[] }>(url, { token });
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(Array.isArray(res.body.items)).toBe(true);
    }
  });

  it('is for admins only', async () => {
    const a = await signUp(stack);
    expect((await call(`${stack.api}/users?search=a`, { token: a.accessToken })).status).toBe(403);
    expect((await call(`${stack.api}/users?search=a`, { token: await gameServerToken(stack) })).status).toBe(403);
  });
});

describe('account status', () => {
  it('suspending ends every session at once; login then fails like a wrong password; admins see the reason', async () => {
    const a = await signUp(stack);
    const second = await logIn(stack, a.player);
    const res = await call(`${stack.api}/admin/users/${a.user.id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'suspended', reason: 'chargeback' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'suspended', statusReason: 'chargeback' });
    for (const token of [a.accessToken, second.accessToken]) expect((await call(`${stack.api}/me`, { token })).status).toBe(401);
    expect((await call(`${stack.api}/token/refresh`, { body: { refreshToken: second.refreshToken } })).status).toBe(401);
    const login = await call(`${stack.api}/login`, { body: { login: a.player.username, password: a.player.password } });
    const wrong = await call(`${stack.api}/login`, { body: { login: a.player.username, password: 'wrong password!' } });
    const unknown = await call(`${stack.api}/login`, { body: { login: `nobody_${Date.now()}`, password: 'wrong password!' } });
    expect([login.status, wrong.status, unknown.status]).toEqual([401, 401, 401]);
    expect(login.body).toEqual(unknown.body);
    expect(JSON.stringify(login.body)).not.toContain('chargeback');
    const seen = await call(`${stack.api}/users/${a.user.id}`, { token: admin.accessToken });
    expect(seen.body).toMatchObject({ status: 'suspended', statusReason: 'chargeback' });

    expect((await call(`${stack.api}/admin/users/${a.user.id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'active' } })).status).toBe(200);
    await logIn(stack, a.player);
  });

  it('gives a banned account no timing tell: its failed login costs a bcrypt compare like the others', async () => {
    const banned = await signUp(stack);
    const wrong = await signUp(stack);
    await call(`${stack.api}/admin/users/${banned.user.id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'banned', reason: 'cheating' } });
    const time = async (login: string, password: string) => {
      const started = performance.now();
      const res = await call(`${stack.api}/login`, { body: { login, password } });
      expect(res.status).toBe(401);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
    const samples: Record<string, number[]> = { banned: [], wrong: [], unknown: [] };
    // Two failures per account stay under the lockout (10 by default).
    for (let i = 0; i < 5; i++) {
      samples['banned']?.push(await time(banned.player.username, banned.player.password));
      samples['wrong']?.push(await time(wrong.player.username, i % 2 ? 'wrong password!' : 'also wrong one'));
      samples['unknown']?.push(await time(`ghost_${i}_${Date.now()}`, 'wrong password!'));
    }
    const [b, w, u] = [median(samples['banned'] ?? []), median(samples['wrong'] ?? []), median(samples['unknown'] ?? [])];
    // Loose bounds for shared machines; skipping the compare would make one of them ~50x faster.
    for (const [x, y] of [[b, w], [b, u], [w, u]] as const) expect(x).toBeGreaterThan(y * 0.5);
  });

  it('validates status, reason and until', async () => {
    const a = await signUp(stack);
    const bad = await call(`${stack.api}/admin/users/${a.user.id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'frozen' } });
    expect(bad.status).toBe(400);
    const noReason = await call(`${stack.api}/admin/users/${a.user.id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'banned' } });
    expect(noReason.body['errors']).toEqual([{ field: 'reason', message: 'is required to make an account banned' }]);
    const past = await call(`${stack.api}/admin/users/${a.user.id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'suspended', reason: 'x', until: '2001-01-01T00:00:00Z' } });
    expect(past.body['errors']).toEqual([{ field: 'until', message: 'must be in the future' }]);
  });

  it('banning ends every session: no refresh token of the player works any more', async () => {
    const a = await signUp(stack);
    const second = await logIn(stack, a.player);
    const res = await call(`${stack.api}/admin/users/${a.user.id}/account-status`, { method: 'PUT', token: admin.accessToken, body: { status: 'banned', reason: 'cheating' } });
    expect(res.status).toBe(200);
    for (const grant of [a, second]) {
      expect((await call(`${stack.api}/token/refresh`, { body: { refreshToken: grant.refreshToken } })).status).toBe(401);
      expect((await call(`${stack.api}/me`, { token: grant.accessToken })).status).toBe(401);
    }
  });

  it('is for admins only', async () => {
    const a = await signUp(stack);
    expect((await call(`${stack.api}/admin/users/${a.user.id}/account-status`, { method: 'PUT', token: a.accessToken, body: { status: 'banned', reason: 'x' } })).status).toBe(403);
  });
});

describe('roles', () => {
  it('admins make and unmake admins; a demoted admin\'s tokens stop working', async () => {
    const a = await signUp(stack);
    expect((await call(`${stack.api}/admin/users/${a.user.id}/roles`, { method: 'PUT', token: a.accessToken, body: { admin: true } })).status).toBe(403);
    const made = await call(`${stack.api}/admin/users/${a.user.id}/roles`, { method: 'PUT', token: admin.accessToken, body: { admin: true } });
    expect(made.body['roles']).toEqual(['player', 'admin']);
    const promoted = await logIn(stack, a.player);
    expect((await call(`${stack.api}/users?search=x`, { token: promoted.accessToken })).status).toBe(200);
    await call(`${stack.api}/admin/users/${a.user.id}/roles`, { method: 'PUT', token: admin.accessToken, body: { admin: false } });
    expect((await call(`${stack.api}/users?search=x`, { token: promoted.accessToken })).status).toBe(401);
  });

  it('a refresh after a promotion carries the admin role, and after a demotion no longer does', async () => {
    const a = await signUp(stack);
    await call(`${stack.api}/admin/users/${a.user.id}/roles`, { method: 'PUT', token: admin.accessToken, body: { admin: true } });
    const up = await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: a.refreshToken } });
    expect(up.body.user.roles).toEqual(['player', 'admin']);
    expect(claimsOf(up.body.accessToken)['roles']).toEqual(['player', 'admin']);
    await call(`${stack.api}/admin/users/${a.user.id}/roles`, { method: 'PUT', token: admin.accessToken, body: { admin: false } });
    const down = await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: up.body.refreshToken } });
    expect(down.status).toBe(200);
    expect(down.body.user.roles).toEqual(['player']);
    expect(claimsOf(down.body.accessToken)['roles']).toEqual(['player']);
    // Within the demotion's second the new token is denied too (401); after it, it is a player's (403).
    expect([401, 403]).toContain((await call(`${stack.api}/users?search=x`, { token: down.body.accessToken })).status);
    expect((await call(`${stack.api}/users?search=x`, { token: up.body.accessToken })).status).toBe(401);
  });
});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

describe('game-server clients', () => {
  it('get a short-lived service token with role game-server for the right secret only', async () => {
    const token = await gameServerToken(stack);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'client:dev-game-server', roles: ['game-server'] });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(900);
    const wrong = await call(`${stack.api}/token`, { body: { grant_type: 'client_credentials', client_id: 'dev-game-server', client_secret: 'nope' } });
    const unknown = await call(`${stack.api}/token`, { body: { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    const grant = await call(`${stack.api}/token`, { body: { grant_type: 'password', client_id: 'a', client_secret: 'b' } });
    expect(grant.status).toBe(400);
  });

  it('are refused (403) on player-only endpoints', async () => {
    const token = await gameServerToken(stack);
    for (const [method, path] of [['GET', 'me'], ['GET', 'me/sessions'], ['DELETE', 'me/sessions'], ['POST', 'logout']] as const) {
      const res = await call(`${stack.api}/${path}`, { method, token });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const password = await call(`${stack.api}/me/password`, { token, body: { currentPassword: 'x', newPassword: 'y'.repeat(12) } });
    expect(password.status).toBe(403);
  });
});

describe('every protected endpoint refuses a missing token', () => {
  it.each([
    ['GET', 'me'], ['POST', 'logout'], ['GET', 'me/sessions'], ['DELETE', 'me/sessions'], ['DELETE', 'me/sessions/x'],
    ['POST', 'me/password'], ['GET', 'users/x'], ['PATCH', 'users/x'], ['DELETE', 'users/x'], ['GET', 'users'],
    ['POST', 'update-profile'], ['PUT', 'admin/users/x/account-status'], ['PUT', 'admin/users/x/roles'], ['POST', 'admin/bootstrap'],
  ])('%s /api/%s', async (method, path) => {
    const res = await call(`${stack.api}/${path}`, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('admin sessions of a player', () => {
  it('lists a player\'s sessions, ends one, then all; each ended token stops working at once', async () => {
    const a = await signUp(stack);
    const second = await logIn(stack, a.player);
    const listed = await call<{ items: { id: string; current: boolean }[] }>(`${stack.api}/admin/users/${a.user.id}/sessions`, { token: admin.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((s) => s.id).sort()).toEqual([a.sessionId, second.sessionId].sort());
    expect(listed.body.items.every((s) => !s.current)).toBe(true);

    const one = await call(`${stack.api}/admin/users/${a.user.id}/sessions/${a.sessionId}`, { method: 'DELETE', token: admin.accessToken });
    expect(one.status).toBe(204);
    expect((await call(`${stack.api}/me`, { token: a.accessToken })).status).toBe(401);
    expect((await call(`${stack.api}/me`, { token: second.accessToken })).status).toBe(200);

    const all = await call<{ ended: number }>(`${stack.api}/admin/users/${a.user.id}/sessions`, { method: 'DELETE', token: admin.accessToken });
    expect(all.body).toEqual({ ended: 1 });
    expect((await call(`${stack.api}/me`, { token: second.accessToken })).status).toBe(401);
  });

  it('is for admins only, and answers 404 for a player that does not exist', async () => {
    const a = await signUp(stack);
    expect((await call(`${stack.api}/admin/users/${a.user.id}/sessions`, { token: a.accessToken })).status).toBe(403);
    expect((await call(`${stack.api}/admin/users/${a.user.id}/sessions/${a.sessionId}`, { method: 'DELETE', token: a.accessToken })).status).toBe(403);
    expect((await call(`${stack.api}/admin/users/${randomUUID()}/sessions`, { token: admin.accessToken })).status).toBe(404);
  });
});

describe('other players\' profiles through the cache', () => {
  it('shows another player a profile change at once (the cache drops it), and a deleted player as 404', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    expect((await call<{ displayName: string }>(`${stack.api}/users/${a.user.id}`, { token: b.accessToken })).body.displayName).toBe(a.user.displayName);
    const changed = await call(`${stack.api}/users/${a.user.id}`, { method: 'PATCH', token: a.accessToken, body: { displayName: 'Cached No More' } });
    expect(changed.status).toBe(200);
    expect((await call<{ displayName: string }>(`${stack.api}/users/${a.user.id}`, { token: b.accessToken })).body.displayName).toBe('Cached No More');
    expect((await call(`${stack.api}/users/${a.user.id}`, { method: 'DELETE', token: a.accessToken, body: { password: a.player.password } })).status).toBe(204);
    expect((await call(`${stack.api}/users/${a.user.id}`, { token: b.accessToken })).status).toBe(404);
  });
});
