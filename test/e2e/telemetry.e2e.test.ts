/**
 * Structured invocation lines (--log-format json, as in Azure): one per request and per timer run,
 * and no secret, token, password or email anywhere in what the stack printed during a full flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFunction } from '../support/events.js';
import { gameServerToken, logIn, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

const BOOTSTRAP = 'bootstrap-token-for-the-telemetry-tests';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ label: 'telemetry', args: ['--log-format', 'json'], env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP } });
});
afterAll(async () => {
  await stack?.stop();
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
    const secrets: string[] = [BOOTSTRAP, 'dev-game-server-secret'];
    const remember = (grant: Grant) => secrets.push(grant.accessToken, grant.refreshToken);

    const first = await signUp(stack);
    remember(first);
    secrets.push(first.player.password, first.player.email);
    expect((await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token: BOOTSTRAP } })).status).toBe(200);
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
    const put = await call(`${stack.api}/users/${first.user.id}`, { method: 'PUT', token: refreshed.body.accessToken, body: { password: newPassword, currentPassword: first.player.password } });
    expect(put.status).toBe(200);
    // A malformed body carrying a password: the field error must not echo it into the log either.
    await call(`${stack.api}/users/register`, { body: { username: 'x', email: 'not-an-email', password: 'short-secret-1' } });
    secrets.push('short-secret-1');
    const server = await gameServerToken(stack);
    secrets.push(server);
    await call(`${stack.api}/track-activity`, { token: server, body: { userId: first.user.id, activity: 'kill' } });
    await call(`${stack.api}/health/metrics`, { token: refreshed.body.accessToken });
    await call(`${stack.api}/users/logout`, { body: { token: compat.body.token } });
    await runFunction(stack, 'syncActivity');
    secrets.push(String(stack.signingJwk.d), stack.serviceBusConnectionString);

    await new Promise((r) => setTimeout(r, 300));
    const output = stack.output();
    for (const secret of secrets) expect(output.includes(secret), `a secret of ${secret.length} characters is in the log`).toBe(false);

    const lines = jsonLines();
    const byFunction = (name: string) => lines.filter((l) => l.function === name);
    expect(byFunction('compatPutUser')).toEqual([
      { invocationId: expect.any(String), function: 'compatPutUser', trigger: 'httpTrigger', route: 'users/{id}', status: 200, durationMs: expect.any(Number), callerRole: 'admin' },
    ]);
    expect(byFunction('compatUsersLogin')[0]).toMatchObject({ route: 'users/login', status: 200, callerRole: 'anonymous' });
    expect(byFunction('login').map((l) => l.status)).toEqual([200, 401]);
    expect(byFunction('trackActivity')[0]).toMatchObject({ callerRole: 'game-server', status: 202 });
    expect(byFunction('syncActivity')[0]).toMatchObject({ trigger: 'timerTrigger', status: 'succeeded' });
    expect(new Set(lines.map((l) => l.invocationId)).size).toBe(lines.length);
    // JSON replaces the short line.
    expect(output).not.toMatch(/^POST \/api\/login \d{3} \d+ms$/m);
  });
});
