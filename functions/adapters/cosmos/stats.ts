/** Per-user activity counters in Cosmos: one document per user, written conditionally. */
import type { Container } from '@azure/cosmos';
import type { StatsRepository, UserStats } from '../../core/activity/stats.js';
import { bulk, type JSONObject, type OperationInput } from './bulk.js';
import { cosmosStatus, isPossibleId, type CosmosHandle } from './client.js';

interface StatsDocument extends UserStats {
  id: string;
  _etag?: string;
}

function fromDocument(doc: StatsDocument): { stats: UserStats; etag: string | null } {
  const { userId, total, counts, lastActivity, watermark, updatedAt } = doc;
  return { stats: { userId, total, counts, lastActivity, watermark, updatedAt }, etag: doc._etag ?? null };
}

export class CosmosStatsRepository implements StatsRepository {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('stats');
  }

  async read(userId: string): Promise<{ stats: UserStats | null; etag: string | null }> {
    // The user id arrives from the path (GET /users/{id}/stats): an id Cosmos cannot hold has no counters.
    if (!isPossibleId(userId)) return { stats: null, etag: null };
    const { resource } = await this.container.item(userId, userId).read<StatsDocument>();
    return resource ? fromDocument(resource) : { stats: null, etag: null };
  }

  async readMany(userIds: string[]): Promise<Map<string, { stats: UserStats | null; etag: string | null }>> {
    const found = new Map<string, { stats: UserStats | null; etag: string | null }>();
    const readable = userIds.filter((userId) => {
      if (!isPossibleId(userId)) found.set(userId, { stats: null, etag: null });
      return isPossibleId(userId);
    });
    const results = await bulk(this.container, readable.map((userId) => ({ operationType: 'Read', id: userId, partitionKey: userId })));
    results.forEach((result, i) => {
      const userId = readable[i] as string;
      if (result.statusCode === 404) found.set(userId, { stats: null, etag: null });
      else if (result.statusCode === 200) found.set(userId, fromDocument({ _etag: result.eTag, ...(result.resourceBody as unknown as StatsDocument) }));
      else throw new Error(`Cosmos refused the read of ${userId}'s stats with ${result.statusCode}`);
    });
    return found;
  }

  async writeMany(writes: { stats: UserStats; etag: string | null }[]): Promise<(string | null)[]> {
    const operations: OperationInput[] = writes.map(({ stats, etag }) => {
      const resourceBody = { ...stats, id: stats.userId } as unknown as JSONObject;
      return etag === null
        ? { operationType: 'Create', partitionKey: stats.userId, resourceBody }
        : { operationType: 'Replace', id: stats.userId, partitionKey: stats.userId, resourceBody, ifMatch: etag };
    });
    const results = await bulk(this.container, operations);
    return results.map((result, i) => {
      if ((result.statusCode === 200 || result.statusCode === 201) && result.eTag) return result.eTag;
      if (result.statusCode === 409 || result.statusCode === 412) return null;
      throw new Error(`Cosmos refused the write of ${writes[i]?.stats.userId}'s stats with ${result.statusCode}`);
    });
  }

  async write(stats: UserStats, etag: string | null): Promise<boolean> {
    const doc: StatsDocument = { ...stats, id: stats.userId };
    try {
      if (etag === null) await this.container.items.create(doc);
      else await this.container.item(stats.userId, stats.userId).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      return true;
    } catch (error) {
      const status = cosmosStatus(error);
      if (status === 409 || status === 412) return false;
      throw error;
    }
  }
}
