/** The local stack as a whole: what it does when Redis is missing or dies, and that Ctrl-C cleans up. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { deleteRedisKeys } from '../../infra/local/spawn-stack.js';
import { call, ROOT, startStack } from '../support/stack.js';

const privateRedis: PrivateRedis[] = [];
afterAll(async () => {
  await Promise.all(privateRedis.map((r) => r.stop()));
});

function runLauncher(env: Record<string, string>, args: string[] = ['--port', '0']): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/infra/local/start.js'), '--settings', 'none', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

// Each test starts a launcher of its own and waits up to 60 s for it: the default 30 s is too short on a busy machine.
describe('the local stack', { timeout: 90_000 }, () => {
  it('exits at once, saying how to start Redis, when Redis is unreachable', async () => {
    const result = await runLauncher({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
    expect(result.output).toMatch(/redis-server --daemonize yes/);
    expect(result.ms).toBeLessThan(10_000);
  });

  it('stops with a message naming a malformed setting', async () => {
    const result = await runLauncher({ BCRYPT_COST: '4', ACCESS_TOKEN_TTL_SECONDS: 'soon' });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/BCRYPT_COST/);
    expect(result.output).toMatch(/ACCESS_TOKEN_TTL_SECONDS/);
    // The launcher starts every stand-in before the host reads the settings: slow on a busy machine.
  }, 90_000);

  it('says Core Tools are missing, and stops, when --func finds no func on the PATH', async () => {
    const result = await runLauncher({ PATH: '/nonexistent', REDIS_KEY_PREFIX: `test:nofunc:${Date.now()}:` }, ['--func', '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Azure Functions Core Tools must be on the PATH/);
    expect(result.output).not.toMatch(/Unhandled 'error' event/);
  });

  it('answers 503 naming redis when Redis goes away', async () => {
    const redis = await startPrivateRedis();
    privateRedis.push(redis);
    const stack = await startStack({ label: 'health', env: { REDIS_URL: redis.url } });
    try {
      expect((await call(`${stack.api}/health`)).status).toBe(200);
      const player = await call<{ accessToken: string }>(`${stack.api}/signup`, {
        body: { username: `h_${Date.now()}`, email: `h${Date.now()}@example.com`, password: 'correct horse battery' },
      });
      await redis.stop();
      // An outage is not the caller's fault and not our bug: 503, come back shortly.
      const me = await call(`${stack.api}/me`, { token: player.body.accessToken });
      expect(me.status).toBe(503);
      expect(me.headers.get('retry-after')).toBe('5');
      expect(me.body['code']).toBe('SERVICE_UNAVAILABLE');
      const down = await call<{ status: string; checks: Record<string, { status: string; error?: string }> }>(`${stack.api}/health`);
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('unavailable');
      expect(down.body.checks['redis']).toEqual({ status: 'failed', latencyMs: expect.any(Number), error: 'did not answer' });
      expect(down.body.checks['cosmos']?.status).toBe('ok');
      // Public, so the driver's message (hosts, ports) goes to the log, not the body.
      expect(JSON.stringify(down.body)).not.toContain('127.0.0.1');
      expect(stack.output()).toMatch(/health: redis failed: /);
    } finally {
      await stack.stop();
    }
  });

  it('leaves no process behind after SIGINT', async () => {
    const stack = await startStack({ label: 'sigint' });
    const { launcher, host, azurite } = stack.pids;
    expect([launcher, host, azurite].every(isAlive)).toBe(true);
    const code = await stack.stop();
    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect([launcher, host, azurite].filter(isAlive)).toEqual([]);
    expect(stack.output()).toMatch(/GET \/api\/health|Ready:/);
  });

  it('leaves no process behind when the shell npm start runs it from is killed (npm stopped with SIGTERM)', async () => {
    // npm start runs `sh -c "npm run build && node dist/infra/local/start.js"`; SIGTERM to npm kills
    // that shell, which does not pass the signal on to the launcher.
    const dir = mkdtempSync(join(tmpdir(), 'stack-'));
    const readyFile = join(dir, 'ready.json');
    const keyPrefix = `test:orphan:${Date.now()}:`;
    const shell = spawn('/bin/sh', ['-c', '"$0" "$@"; true', process.execPath, join(ROOT, 'dist/infra/local/start.js'), '--settings', 'none', '--port', '0', '--ready-file', readyFile], {
      cwd: ROOT,
      env: { ...process.env, REDIS_KEY_PREFIX: keyPrefix, npm_lifecycle_event: 'start' },
      stdio: 'ignore',
    });
    let launcher = 0;
    try {
      const deadline = Date.now() + 60_000;
      while (!existsSync(readyFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const pids = (JSON.parse(readFileSync(readyFile, 'utf8')) as { pids: { launcher: number; host: number; azurite: number } }).pids;
      const { host, azurite } = pids;
      launcher = pids.launcher;
      expect([launcher, host, azurite].every(isAlive)).toBe(true);
      shell.kill('SIGTERM');
      for (let i = 0; i < 100 && [launcher, host, azurite].some(isAlive); i++) await new Promise((r) => setTimeout(r, 100));
      expect([launcher, host, azurite].filter(isAlive)).toEqual([]);
    } finally {
      if (shell.exitCode === null) shell.kill('SIGKILL');
      if (launcher && isAlive(launcher)) process.kill(launcher, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
      await deleteRedisKeys(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', keyPrefix).catch(() => undefined);
    }
  });
});
