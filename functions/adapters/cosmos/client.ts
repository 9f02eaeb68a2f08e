/** The Cosmos DB client and the containers the app uses, created once per process. */
import { invalidCursor } from '../../core/kernel/paging.js';
import type { Container, CosmosClient, Database } from '@azure/cosmos';
import { azureCredential } from '../identity.js';
import { once } from '../../core/kernel/once.js';

// The SDK is imported when the first client is made, not with this module: a cold start that
// answers without Cosmos does not pay for it.
const loadSdk = once(() => import('@azure/cosmos'));

/**
 * Every container, with the partition key its access pattern needs. Bicep creates them in Azure;
 * the local launcher creates them on the stand-in. Tests check that both lists agree.
 */
export const CONTAINERS = {
  /** One user per partition: point reads by id. */
  users: { id: 'users', partitionKey: '/id' },
  /** Uniqueness claims, id = "username:<lower>" or "email:<lower>": cross-partition uniqueness. */
  claims: { id: 'claims', partitionKey: '/id' },
  /** Sessions and their refresh-token state, listed per user; documents expire by their own ttl. */
  sessions: { id: 'sessions', partitionKey: '/userId', defaultTtl: -1 },
  /** Activity history, one document per (user, activity id): idempotent writes. */
  activity: { id: 'activity', partitionKey: '/userId' },
  /** One counters document per user (id = user id), kept by the sync. */
  stats: { id: 'stats', partitionKey: '/userId' },
  /** Every user event, by user, idempotent by event id: what support engineers read. */
  audit: { id: 'audit', partitionKey: '/userId' },
  /** Events recorded but not yet known to be published (the outbox). */
  outbox: { id: 'outbox', partitionKey: '/userId' },
  /** Mails waiting to be sent (or retried): what to send to whom, never a link token. */
  mail: { id: 'mail', partitionKey: '/id' },
  /**
   * The social graph, each edge twice (in each player's partition, so either list is one
   * partition's query), plus each player's privacy and preferences documents.
   */
  social: { id: 'social', partitionKey: '/userId' },
  /** Abuse reports and their one-open-per-reporter-and-target claims, id = partition key. */
  reports: { id: 'reports', partitionKey: '/id' },
  /** Per player: the balance document (id "balance") and the ledger, one document per idempotency key. */
  wallets: { id: 'wallets', partitionKey: '/userId' },
  /** Per player: match stats (id "stats") and match history entries (id "match:<id>"). */
  playerMatches: { id: 'playerMatches', partitionKey: '/userId' },
  /** One result record per match: the authority that a result was accepted, and how far applying it got. */
  matches: { id: 'matches', partitionKey: '/id' },
  /** Leaderboard entries (id "<board>|<period>|<user>") and period claims, per board. */
  leaderboards: { id: 'leaderboards', partitionKey: '/boardId' },
  /** The game catalog, one game per partition: point reads by id, small cross-partition lists. */
  games: { id: 'games', partitionKey: '/id' },
} as const;

export type ContainerName = keyof typeof CONTAINERS;

export interface CosmosHandle {
  client: CosmosClient;
  database: Database;
  container(name: ContainerName): Container;
}

export interface CosmosSettings {
  endpoint: string;
  /** The stand-in's key; unset in Azure, where the managed identity signs in. */
  key: string | undefined;
  database: string;
}

/** One attempt's limit; with the throttle retries a Cosmos call gives up within about 8 s. */
export const COSMOS_REQUEST_TIMEOUT_MS = 5_000;

export async function createCosmos(config: CosmosSettings, azureClientId: string | undefined): Promise<CosmosHandle> {
  const local = config.endpoint.startsWith('http://');
  const { CosmosClient } = await loadSdk();
  const client = new CosmosClient({
    endpoint: config.endpoint,
    ...(config.key ? { key: config.key } : { aadCredentials: await azureCredential(azureClientId) }),
    connectionPolicy: {
      // The local stand-in has one region and no account metadata worth discovering.
      ...(local ? { enableEndpointDiscovery: false } : {}),
      // Bounded, so a throttled or stalled Cosmos answers the caller 503 within the request's
      // budget instead of after the SDK's defaults (60 s per attempt, 9 throttle retries over 30 s).
      requestTimeout: COSMOS_REQUEST_TIMEOUT_MS,
      retryOptions: { maxRetryAttemptCount: 3, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 3 },
    },
  });
  const database = client.database(config.database);
  return { client, database, container: (name) => database.container(CONTAINERS[name].id) };
}

/** Creates the database and containers; for the local stand-in and tests (bicep does it in Azure). */
export async function ensureCosmosSchema(handle: CosmosHandle): Promise<void> {
  await handle.client.databases.createIfNotExists({ id: handle.database.id });
  for (const spec of Object.values(CONTAINERS) as { id: string; partitionKey: string; defaultTtl?: number }[]) {
    await handle.database.containers.createIfNotExists({
      id: spec.id,
      partitionKey: { paths: [spec.partitionKey] },
      ...(spec.defaultTtl !== undefined ? { defaultTtl: spec.defaultTtl } : {}),
    });
  }
}

/** Cosmos reports failures as errors with a numeric HTTP `code`. */
export function cosmosStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Creates the document unless one with its id exists: true when this call created it. */
export async function createIfAbsent(container: Container, document: object): Promise<boolean> {
  try {
    await container.items.create(document);
    return true;
  } catch (error) {
    if (cosmosStatus(error) === 409) return false;
    throw error;
  }
}

/** Deletes the document; one already gone is fine (a retried or concurrent delete). */
export async function deleteIfPresent(container: Container, id: string, partitionKey: string): Promise<void> {
  try {
    await container.item(id, partitionKey).delete();
  } catch (error) {
    if (cosmosStatus(error) !== 404) throw error;
  }
}

/**
 * One player's documents of a type, newest first by sortKey, before a key: the partition's own
 * ordered list (match history, the wallet ledger) read as a single-partition query.
 */
export async function newestFirst<T>(container: Container, userId: string, type: string, limit: number, before: string | undefined): Promise<T[]> {
  const filters = ['c.userId = @userId', 'c.type = @type', ...(before === undefined ? [] : ['c.sortKey < @before'])];
  const { resources } = await container.items
    .query<T>(
      {
        query: `SELECT TOP @limit * FROM c WHERE ${filters.join(' AND ')} ORDER BY c.sortKey DESC`,
        parameters: [
          { name: '@userId', value: userId },
          { name: '@type', value: type },
          { name: '@limit', value: limit },
          ...(before === undefined ? [] : [{ name: '@before', value: before }]),
        ],
      },
      { partitionKey: userId },
    )
    .fetchAll();
  return resources;
}

/** Continuation tokens travel to clients as opaque cursors. */
export function encodeCursor(continuationToken: string | undefined): string | null {
  return continuationToken ? Buffer.from(continuationToken, 'utf8').toString('base64url') : null;
}

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const token = Buffer.from(cursor, 'base64url').toString('utf8');
  // A cursor that is not one of ours would make Cosmos answer 400; name the field instead.
  if (!token || /[^\x20-\x7e]/.test(token)) throw invalidCursor();
  return token;
}


/**
 * One page of a query from the client's cursor. A cursor that decodes to printable text but is no
 * continuation token (`{}`, `1`) gets past decodeCursor; Cosmos then answers 400, which is the
 * client's mistake, not ours.
 */
export async function fetchPage<T>(cursor: string | undefined, fetch: (continuationToken: string | undefined) => Promise<T>): Promise<T> {
  const continuationToken = decodeCursor(cursor);
  try {
    return await fetch(continuationToken);
  } catch (error) {
    if (continuationToken !== undefined && cosmosStatus(error) === 400) throw invalidCursor();
    throw error;
  }
}

/**
 * Whether a value can be a Cosmos id at all: at most 1,023 bytes, none of / \ ? # (the SDK throws
 * on / \ #, the service refuses ?), no lone surrogates (the SDK's encodeURI throws). Ids from
 * paths and logins are checked first, so an impossible one reads as "no such item" rather than 500.
 */
export function isPossibleId(id: string): boolean {
  return id.length > 0 && Buffer.byteLength(id, 'utf8') <= 1023 && !/[/\\?#]/.test(id) && !/\p{Cs}/u.test(id);
}
