/**
 * The app's own adapters pointed at a running local stack, for benchmarks that fill buffers or
 * count documents directly instead of through HTTP.
 */
import type { Stack } from '../infra/local/spawn-stack.js';
import { createCosmos, type CosmosHandle } from '../functions/adapters/cosmos/client.js';

/** The settings a process needs to run the app's code against the stack (getServices()). */
export function stackEnvironment(stack: Stack): Record<string, string> {
  return {
    COSMOS_ENDPOINT: stack.cosmosEndpoint,
    COSMOS_KEY: 'local-stand-in',
    COSMOS_DATABASE: stack.cosmosDatabase,
    REDIS_URL: stack.redisUrl,
    REDIS_KEY_PREFIX: stack.keyPrefix,
    JWT_SIGNING_KEY: JSON.stringify(stack.signingJwk),
    ServiceBusConnection: stack.serviceBusConnectionString,
  };
}

export function stackCosmos(stack: Stack): Promise<CosmosHandle> {
  return createCosmos({ endpoint: stack.cosmosEndpoint, key: 'local-stand-in', database: stack.cosmosDatabase }, undefined);
}

/**
 * How many of the given documents exist, by point reads 64 at a time. The stand-in answers
 * queries by scanning every document, which at 100,000 of them takes longer than the client waits.
 */
export async function countExisting(cosmos: CosmosHandle, container: 'activity' | 'audit' | 'stats', keys: { id: string; partition: string }[]): Promise<number> {
  let found = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < keys.length) {
        const key = keys[next++];
        if (!key) break;
        const { resource } = await cosmos.container(container).item(key.id, key.partition).read();
        if (resource) found += 1;
      }
    }),
  );
  return found;
}

export async function runFunction(stack: Stack, name: string): Promise<void> {
  const res = await fetch(`${stack.url}/admin/functions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":""}' });
  if (res.status !== 202) throw new Error(`${name} failed: ${res.status} ${await res.text()}`);
}

/** A token of the development game-server client the local stack ships with. */
export async function gameServerToken(stack: Stack): Promise<string> {
  const res = await fetch(`${stack.api}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'dev-game-server', client_secret: 'dev-game-server-secret' }),
  });
  if (res.status !== 200) throw new Error(`no game-server token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
