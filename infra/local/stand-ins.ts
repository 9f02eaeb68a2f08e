/** The Azure stand-ins the local stack runs: Azurite and the Cosmos DB stand-in; and the Redis check. */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Running {
  stop(): Promise<void>;
}

export interface AzuriteInstance extends Running {
  connectionString: string;
  blobEndpoint: string;
  pid: number | undefined;
}

/** Azurite in memory on free ports, with an account key made up for this run. */
export async function startAzurite(log: (line: string) => void): Promise<AzuriteInstance> {
  const azurite = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const accountKey = randomBytes(32).toString('base64');
  const args = ['--inMemoryPersistence', '--extentMemoryLimit', '256', '--skipApiVersionCheck', '--disableTelemetry', '--silent'];
  for (const service of ['blob', 'queue', 'table']) args.push(`--${service}Host`, '127.0.0.1', `--${service}Port`, '0');
  const child = fork(azurite, args, {
    env: { ...process.env, AZURITE_ACCOUNTS: `devstoreaccount1:${accountKey}` },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: ['--import', fileURLToPath(new URL('./exit-with-parent.js', import.meta.url))],
  });
  const ports: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Azurite did not start within 30 s')), 30_000);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/g)) {
        ports[(m[1] ?? '').toLowerCase()] = m[2] ?? '';
      }
      if (ports['blob'] && ports['queue'] && ports['table']) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => log(`[azurite] ${chunk.toString().trim()}`));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code} before it was ready: ${output.trim().slice(-500)}`));
    });
  });
  child.stdout?.resume();
  const endpoint = (service: string) => `http://127.0.0.1:${ports[service]}/devstoreaccount1`;
  return {
    pid: child.pid,
    blobEndpoint: endpoint('blob'),
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${accountKey};` +
      `BlobEndpoint=${endpoint('blob')};QueueEndpoint=${endpoint('queue')};TableEndpoint=${endpoint('table')};`,
    // Closing the IPC channel makes it exit (exit-with-parent); Azurite's own signal handler
    // throws when a second signal arrives while it is closing.
    stop: () => stopChild(child, 5_000, () => child.disconnect()),
  };
}

export function stopChild(child: ChildProcess, graceMs = 5_000, ask: () => void = () => child.kill('SIGTERM')): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    ask();
  });
}

export interface CosmosStandIn extends Running {
  endpoint: string;
}

/** The Cosmos DB stand-in, in this process, over plain HTTP with keep-alive (see the notes). */
export async function startCosmosStandIn(port = 0): Promise<CosmosStandIn> {
  // Imported here, not with the launcher: it loads while Azurite starts in its own process.
  const { createHttpServer } = await import('@vercel/cosmosdb-server');
  const server = createHttpServer({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Fails fast, with what to do, when Redis does not answer. */
export async function checkRedis(url: string, timeoutMs = 3_000): Promise<void> {
  const { createClient } = await import('redis');
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Redis is not reachable at ${url} (${reason}).\n` +
        `Start one with:  redis-server --daemonize yes --port 6379 --save '' --appendonly no\n` +
        `(install it with: sudo apt-get install -y redis-server, or brew install redis), or set REDIS_URL.`,
    );
  } finally {
    if (client.isOpen) await client.close();
  }
}
