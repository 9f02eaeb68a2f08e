/**
 * Starts the README's local stack (`node dist/infra/local/start.js`, what `npm start` runs) as a
 * child process on free ports with its own Redis key prefix: for end-to-end tests and benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { PROJECT_ROOT } from '../../functions/platform/version.js';

export { PROJECT_ROOT };
const START = join(PROJECT_ROOT, 'dist/infra/local/start.js');

export interface ReadyInfo {
  url: string;
  api: string;
  cosmosEndpoint: string;
  cosmosDatabase: string;
  redisUrl: string;
  /** ServiceBusConnection as the host got it: the stand-in's, or the one set in the environment. */
  serviceBusConnectionString: string;
  /** WEBPUBSUB_CONNECTION_STRING and WEBPUBSUB_HUB as the host got them (unset with a keyless WEBPUBSUB_ENDPOINT). */
  webPubSubConnectionString?: string;
  webPubSubHub: string;
  keyPrefix: string;
  /** The ACS Email stand-in the host sends through (EMAIL_ENDPOINT, EMAIL_CONNECTION_STRING). */
  email: { endpoint: string; connectionString: string };
  /** With --identity-stand-ins only. */
  oidcIssuer?: string;
  steamWebApiUrl?: string;
  pids: { launcher: number; host: number; azurite: number };
}

export interface Stack extends ReadyInfo {
  /** The private JWK the stack signs with, so callers can mint tokens of their own. */
  signingJwk: JsonWebKey;
  process: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

export function newSigningJwk(): JsonWebKey {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
}

/** Removes every key under a prefix; never waits on a Redis that is gone. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 2_000 } });
  client.on('error', () => {});
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch);
    for (let i = 0; i < keys.length; i += 500) await client.del(keys.slice(i, i + 500));
  } finally {
    await client.close();
  }
}

export async function startStack(options: { env?: Record<string, string>; label?: string; quiet?: boolean; args?: string[] } = {}): Promise<Stack> {
  if (!existsSync(START)) throw new Error(`${START} is missing: run "npm run build" first (npm test does)`);
  const dir = mkdtempSync(join(tmpdir(), 'stack-'));
  const readyFile = join(dir, 'ready.json');
  const signingJwk = newSigningJwk();
  const keyPrefix = `test:${options.label ?? 'stack'}:${randomBytes(4).toString('hex')}:`;
  const child = spawn(process.execPath, [START, '--settings', 'none', '--port', '0', '--ready-file', readyFile, ...(options.args ?? [])], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, REDIS_KEY_PREFIX: keyPrefix, JWT_SIGNING_KEY: JSON.stringify(signingJwk), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A benchmark's request log would grow without bound; keep only the last ~200 KB, by whole
  // chunks (re-slicing one string per chunk would copy the whole tail every time).
  const chunks: string[] = [];
  let kept = 0;
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    chunks.push(text);
    kept += text.length;
    while (kept - (chunks[0]?.length ?? 0) >= 200_000) kept -= chunks.shift()?.length ?? 0;
  };
  const output = () => chunks.join('');
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  const deadline = Date.now() + 60_000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) throw new Error(`the stack exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the stack did not become ready in 60 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as ReadyInfo;
  rmSync(dir, { recursive: true, force: true });

  return {
    ...ready,
    signingJwk,
    process: child,
    output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      await deleteRedisKeys(ready.redisUrl, ready.keyPrefix).catch(() => undefined);
      return code;
    },
  };
}
