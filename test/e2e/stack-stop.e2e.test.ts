/**
 * Every way the local stack gets stopped leaves nothing behind: no process, and the host's port
 * free for the next `npm start`. The app here (test/fixtures/stuck-app) has a timer invocation
 * that outlives any stop, as a long sync run would, so only the stop deadlines get the host out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../support/redis-server.js';
import { ROOT } from '../support/stack.js';

const START = join(ROOT, 'dist/infra/local/start.js');
const STUCK_APP = fileURLToPath(new URL('../fixtures/stuck-app', import.meta.url));
/** The host's own deadline is 3 s and the launcher's kill 5 s after asking; allow for a busy machine. */
const GONE_WITHIN_MS = 12_000;

interface Running {
  /** The process the signal goes to: the launcher, or the shell standing in for npm's. */
  parent: ChildProcess;
  pids: { launcher: number; host: number; azurite: number };
  port: number;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * The launcher on free ports, either directly or the way `npm start` runs it: npm's shell
 * (`sh -c "... && node dist/infra/local/start.js"`) in a process group of its own.
 */
async function startLauncher(label: string, underShell: boolean): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'stack-stop-'));
  const readyFile = join(dir, 'ready.json');
  const args = [START, '--settings', 'none', '--port', '0', '--ready-file', readyFile, '--script-root', STUCK_APP];
  const env = { ...process.env, REDIS_KEY_PREFIX: `test:stop-${label}:${Date.now()}:`, ...(underShell ? { npm_lifecycle_event: 'start' } : {}) };
  const parent = underShell
    ? spawn('/bin/sh', ['-c', '"$0" "$@"; true', process.execPath, ...args], { cwd: ROOT, env, stdio: 'ignore', detached: true })
    : spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore', detached: true });
  let pids: Running['pids'] | undefined;
  cleanups.push(() => {
    for (const pid of [pids?.host, pids?.azurite, pids?.launcher, parent.pid]) if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 60_000;
  while (!existsSync(readyFile)) {
    if (parent.exitCode !== null) throw new Error(`the launcher exited with ${parent.exitCode} before it was ready`);
    if (Date.now() > deadline) throw new Error('the launcher was not ready within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 100)); // the ready file is written in one call, but give it a beat
  const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as { url: string; pids: Running['pids'] };
  pids = ready.pids;
  expect(Object.values(pids).every(isAlive)).toBe(true);
  expect(await (await fetch(`${ready.url}/api/ping`)).text()).toBe('pong');
  return { parent, pids, port: Number(new URL(ready.url).port) };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Waits for every process of the stack to be gone; answers with those still alive at the deadline. */
async function survivors(running: Running): Promise<number[]> {
  const all = [running.pids.launcher, running.pids.host, running.pids.azurite];
  const deadline = Date.now() + GONE_WITHIN_MS;
  while (all.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return all.filter(isAlive);
}

describe('stopping the local stack', { timeout: 90_000 }, () => {
  it('leaves no process and a free port after SIGINT to the launcher (Ctrl-C)', async () => {
    const running = await startLauncher('sigint', false);
    process.kill(running.pids.launcher, 'SIGINT');
    expect(await survivors(running)).toEqual([]);
    expect(await portIsFree(running.port)).toBe(true);
  });

  it('leaves no process and a free port after SIGTERM to the whole process group', async () => {
    // The reported orphan: the launcher saw npm's shell die mid-shutdown and left at once.
    const running = await startLauncher('group', true);
    process.kill(-running.parent.pid!, 'SIGTERM');
    expect(await survivors(running)).toEqual([]);
    expect(await portIsFree(running.port)).toBe(true);
  });

  it('leaves no process and a free port after SIGTERM to npm alone (its shell dies, the launcher is orphaned)', async () => {
    const running = await startLauncher('npm', true);
    running.parent.kill('SIGTERM');
    expect(await survivors(running)).toEqual([]);
    expect(await portIsFree(running.port)).toBe(true);
  });

  it('leaves no process and a free port after SIGKILL of the launcher', async () => {
    const running = await startLauncher('sigkill', false);
    process.kill(running.pids.launcher, 'SIGKILL');
    expect(await survivors(running)).toEqual([]);
    expect(await portIsFree(running.port)).toBe(true);
  });
});
