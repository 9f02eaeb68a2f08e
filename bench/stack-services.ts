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

export function stackCosmos(stack: Stack): CosmosHandle {
  return createCosmos({ endpoint: stack.cosmosEndpoint, key: 'local-stand-in', database: stack.cosmosDatabase }, undefined);
}

/** Documents in a container, by a cross-partition COUNT (a scan on the stand-in: seconds at 100k). */
export async function countDocuments(cosmos: CosmosHandle, container: 'activity' | 'audit' | 'stats', where = 'true'): Promise<number> {
  const { resources } = await cosmos.container(container).items.query<number>(`SELECT VALUE COUNT(1) FROM c WHERE ${where}`).fetchAll();
  return resources.reduce((sum, n) => sum + n, 0);
}

export async function runFunction(stack: Stack, name: string): Promise<void> {
  const res = await fetch(`${stack.url}/admin/functions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":""}' });
  if (res.status !== 202) throw new Error(`${name} failed: ${res.status} ${await res.text()}`);
}
