/** The Cosmos DB client and the containers the app uses, created once per process. */
import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import type { AppConfig } from '../../platform/config.js';
import { azureCredential } from '../identity.js';

/**
 * Every container, with the partition key its access pattern needs. Bicep creates them in Azure;
 * the local launcher creates them on the stand-in. Tests check that both lists agree.
 */
export const CONTAINERS = {
  /** One user per partition: point reads by id. */
  users: { id: 'users', partitionKey: '/id' },
  /** Uniqueness claims, id = "username:<lower>" or "email:<lower>": cross-partition uniqueness. */
  claims: { id: 'claims', partitionKey: '/id' },
  /** Sessions and their refresh-token state, listed per user. */
  sessions: { id: 'sessions', partitionKey: '/userId' },
} as const;

export type ContainerName = keyof typeof CONTAINERS;

export interface CosmosHandle {
  client: CosmosClient;
  database: Database;
  container(name: ContainerName): Container;
}

export function createCosmos(config: AppConfig['cosmos'], azureClientId: string | undefined): CosmosHandle {
  const local = config.endpoint.startsWith('http://');
  const client = new CosmosClient({
    endpoint: config.endpoint,
    ...(config.key ? { key: config.key } : { aadCredentials: azureCredential(azureClientId) }),
    // The local stand-in has one region and no account metadata worth discovering.
    ...(local ? { connectionPolicy: { enableEndpointDiscovery: false } } : {}),
  });
  const database = client.database(config.database);
  return { client, database, container: (name) => database.container(CONTAINERS[name].id) };
}

/** Creates the database and containers; for the local stand-in and tests (bicep does it in Azure). */
export async function ensureCosmosSchema(handle: CosmosHandle): Promise<void> {
  await handle.client.databases.createIfNotExists({ id: handle.database.id });
  for (const spec of Object.values(CONTAINERS)) {
    await handle.database.containers.createIfNotExists({ id: spec.id, partitionKey: { paths: [spec.partitionKey] } });
  }
}

/** Cosmos reports failures as errors with a numeric HTTP `code`. */
export function cosmosStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
