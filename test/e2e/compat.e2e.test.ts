/**
 * The compatibility routes and health probes over HTTP, on a stack printing the JSON invocation
 * lines (--log-format json, as in Azure): the last test checks those lines, and greps everything
 * the stack printed for the secrets and tokens of a full flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatLogin, loggedOut, registered, serviceStatus } from '../../functions/http/compat/contract.js';
import { tokenGrant, userView } from '../../functions/http/accounts/contract.js';
import { liveness, metricsView, readiness } from '../../functions/http/platform/contract.js';
import { gameServerToken, logIn, newPlayer, signUp, type Grant } from '../support/players.js';
import { runFunction } from '../support/events.js';
import { call, startStack, type Stack } from '../support/stack.js';

const BOOTSTRAP = 'bootstrap-token-for-the-compat-tests';
let stack: Stack;
let admin: Grant;

beforeAll(async () => {
  stack = await startStack({ label: 'compat', args: ['--log-format', 'json'], env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP } });
  const first = await signUp(stack);
  expect((await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token: BOOTSTRAP } })).status).toBe(200);
  admin = (await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: first.refreshToken } })).body;
});
afterAll(async () => {
  await stack?.stop();
});

describe('sign-up, login and logout in the other shapes', () => {
  it('POST /api/users creates a player like sign-up: 201, the grant, Location', async () => {
    const player = newPlayer();
    const res = await call(`${stack.api}/users`, { body: player });
    expect(res.status).toBe(201);
    const grant = tokenGrant.parse(res.body);
    expect(res.headers.get('location')).toBe(`/api/users/${grant.user.id}`);
    expect(grant.user.username).toBe(player.username);
    const again = await call(`${stack.api}/users`, { body: player });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
  });

  it('POST /api/users/register answers {message, username}; POST /api/users/login {email, password} the token', async () => {
    const player = newPlayer();
    const reg = await call(`${stack.api}/users/register`, { body: player });
    expect(reg.status).toBe(200);
    expect(registered.parse(reg.body)).toEqual({ message: 'User registered successfully', username: player.username });

    const login = await call(`${stack.api}/users/login`, { body: { email: player.email, password: player.password } });
    expect(login.status).toBe(200);
    const body = compatLogin.parse(login.body);
    expect(body.message).toBe('Login successful');
    expect(body.token).toBe(body.accessToken);
    expect((await call(`${stack.api}/me`, { token: body.token })).status).toBe(200);

    const wrong = await call(`${stack.api}/users/login`, { body: { email: player.email, password: 'not the password at all' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    const missing = await call<{ errors: { field: string }[] }>(`${stack.api}/users/login`, { body: { password: 'x' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e) => e.field)).toEqual(['email']);
  });

  it('POST /api/users/logout {token} ends the session: both tokens stop working', async () => {
    const player = await signUp(stack);
    const res = await call(`${stack.api}/users/logout`, { body: { token: player.accessToken } });
    expect(res.status).toBe(200);
    expect(loggedOut.parse(res.body)).toEqual({ message: 'Logout successful' });
    expect((await call(`${stack.api}/me`, { token: player.accessToken })).status).toBe(401);
    expect((await call(`${stack.api}/token/refresh`, { body: { refreshToken: player.refreshToken } })).status).toBe(401);
    expect((await call(`${stack.api}/users/logout`, { body: { token: 'not-a-token' } })).status).toBe(401);
  });
});

describe('PUT /api/users/{id}', () => {
  it('renames: the old name is free at once, the new one logs in, a taken one is 409', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const renamed = newPlayer().username;
    const res = await call(`${stack.api}/users/${a.user.id}`, { method: 'PUT', token: a.accessToken, body: { username: renamed } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(userView.parse(res.body).username).toBe(renamed);
    await logIn(stack, { ...a.player, username: renamed });
    expect((await call(`${stack.api}/login`, { body: { login: a.player.username, password: a.player.password } })).status).toBe(401);
    await signUp(stack, { ...newPlayer(), username: a.player.username });

    const taken = await call(`${stack.api}/users/${b.user.id}`, { method: 'PUT', token: b.accessToken, body: { username: renamed.toUpperCase() } });
    expect(taken.status).toBe(409);
    expect((await call(`${stack.api}/users/${a.user.id}`, { method: 'PUT', token: b.accessToken, body: { username: 'someone_else' } })).status).toBe(403);
  });

  it('changes the password with the current one and ends the other sessions; an admin resets without it', async () => {
    const a = await signUp(stack);
    const other = await logIn(stack, a.player);
    const newPassword = 'a brand new passphrase here';
    const without = await call<{ errors: { field: string }[] }>(`${stack.api}/users/${a.user.id}`, { method: 'PUT', token: a.accessToken, body: { password: newPassword } });
    expect(without.status).toBe(400);
    expect(without.body.errors.map((e) => e.field)).toEqual(['currentPassword']);
    const changed = await call(`${stack.api}/users/${a.user.id}`, {
      method: 'PUT',
      token: a.accessToken,
      body: { password: newPassword, currentPassword: a.player.password },
    });
    expect(changed.status).toBe(200);
    expect((await call(`${stack.api}/me`, { token: a.accessToken })).status).toBe(200);
    expect((await call(`${stack.api}/me`, { token: other.accessToken })).status).toBe(401);
    await logIn(stack, { ...a.player, password: newPassword });

    const reset = await call(`${stack.api}/users/${a.user.id}`, { method: 'PUT', token: admin.accessToken, body: { password: 'reset by the admin team' } });
    expect(reset.status).toBe(200);
    expect((await call(`${stack.api}/me`, { token: a.accessToken })).status).toBe(401);
  });
});

describe('status and health probes', () => {
  it('GET /api/status, /api/health/live and /api/health/ready answer with every check', async () => {
    const status = await call(`${stack.api}/status`);
    expect(status.status).toBe(200);
    expect(serviceStatus.parse(status.body)).toMatchObject({ service: 'player-accounts', status: 'OK' });
    expect(liveness.parse((await call(`${stack.api}/health/live`)).body).status).toBe('ok');
    const ready = await call(`${stack.api}/health/ready`);
    expect(ready.status).toBe(200);
    expect(Object.keys(readiness.parse(ready.body).checks).sort()).toEqual(['cosmos', 'redis', 'serviceBus']);
    const health = await call<{ checks: Record<string, unknown> }>(`${stack.api}/health`);
    expect(Object.keys(health.body.checks).sort()).toEqual(['cosmos', 'redis', 'serviceBus']);
  });
});

describe('GET /api/health/metrics', () => {
  it('counts logins and refreshes for admins and game servers; players get 403', async () => {
    const before = metricsView.parse((await call(`${stack.api}/health/metrics`, { token: admin.accessToken })).body);
    const player = await signUp(stack);
    await logIn(stack, player.player);
    await call(`${stack.api}/login`, { body: { login: player.player.username, password: 'not the password at all' } });
    expect((await call(`${stack.api}/token/refresh`, { body: { refreshToken: player.refreshToken } })).status).toBe(200);
    const after = metricsView.parse((await call(`${stack.api}/health/metrics`, { token: await gameServerToken(stack) })).body);
    expect(after.logins.ok - before.logins.ok).toBe(1);
    expect(after.logins.failed - before.logins.failed).toBe(1);
    expect(after.tokensRefreshed - before.tokensRefreshed).toBe(1);
    expect(after.presenceOnline).toBeGreaterThanOrEqual(1);
    expect((await call(`${stack.api}/health/metrics`, { token: player.accessToken })).status).toBe(403);
    expect((await call(`${stack.api}/health/metrics`)).status).toBe(401);
  });
});

interface Line {
  invocationId: string;
  function: string;
  trigger: string;
  route?: string;
  status: number | string;
  durationMs: number;
  callerRole?: string;
}

function jsonLines(): Line[] {
  return stack
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{"invocationId"'))
    .map((l) => JSON.parse(l) as Line);
}

describe('invocation lines and secrets in the log', () => {
  it('prints one JSON line per invocation, and no secret the run used reaches any line', async () => {
    const secrets: string[] = [BOOTSTRAP, 'dev-game-server-secret', admin.accessToken, admin.refreshToken];
    const remember = (grant: Grant) => secrets.push(grant.accessToken, grant.refreshToken);

    const first = await signUp(stack);
    remember(first);
    secrets.push(first.player.password, first.player.email);
    const refreshed = await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: first.refreshToken } });
    remember(refreshed.body);
    const second = await logIn(stack, first.player);
    remember(second);
    const compat = await call<Grant & { token: string }>(`${stack.api}/users/login`, { body: { email: first.player.email, password: first.player.password } });
    remember(compat.body);
    await call(`${stack.api}/login`, { body: { login: first.player.email, password: 'a wrong password typed here' } });
    secrets.push('a wrong password typed here');
    const newPassword = 'the next password of the run';
    secrets.push(newPassword);
    const put = await call(`${stack.api}/users/${first.user.id}`, { method: 'PUT', token: admin.accessToken, body: { password: newPassword } });
    expect(put.status).toBe(200);
    // A malformed body carrying a password: the field error must not echo it into the log either.
    await call(`${stack.api}/users/register`, { body: { username: 'x', email: 'not-an-email', password: 'short-secret-1' } });
    secrets.push('short-secret-1');
    const server = await gameServerToken(stack);
    secrets.push(server);
    await call(`${stack.api}/track-activity`, { token: server, body: { userId: first.user.id, activity: 'kill' } });
    await call(`${stack.api}/health/metrics`, { token: admin.accessToken });
    await call(`${stack.api}/users/logout`, { body: { token: compat.body.token } });
    await runFunction(stack, 'syncActivity');
    secrets.push(String(stack.signingJwk.d), stack.serviceBusConnectionString);

    await new Promise((r) => setTimeout(r, 300));
    const output = stack.output();
    for (const secret of secrets) expect(output.includes(secret), `a secret of ${secret.length} characters is in the log`).toBe(false);

    const lines = jsonLines();
    const byFunction = (name: string) => lines.filter((l) => l.function === name);
    expect(byFunction('compatPutUser')).toContainEqual({
      invocationId: expect.any(String),
      function: 'compatPutUser',
      trigger: 'httpTrigger',
      route: 'api/users/{id}',
      status: 200,
      durationMs: expect.any(Number),
      callerRole: 'admin',
    });
    expect(byFunction('compatUsersLogin')).toContainEqual(expect.objectContaining({ route: 'api/users/login', status: 200, callerRole: 'anonymous' }));
    expect(byFunction('login').map((l) => l.status)).toEqual(expect.arrayContaining([200, 401]));
    expect(byFunction('trackActivity')).toContainEqual(expect.objectContaining({ callerRole: 'game-server', status: 202 }));
    expect(byFunction('syncActivity')).toContainEqual(expect.objectContaining({ trigger: 'timerTrigger', status: 'succeeded' }));
    expect(new Set(lines.map((l) => l.invocationId)).size).toBe(lines.length);
    // JSON replaces the short line.
    expect(output).not.toMatch(/^POST \/api\/login \d{3} \d+ms$/m);
  });
});
