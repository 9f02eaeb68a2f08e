/** Per-user activity counters in Cosmos: one document per user, written conditionally. */
import type { Container } from '@azure/cosmos';
import type { StatsRepository, UserStats } from '../../core/activity/stats.js';
import { cosmosStatus, isPossibleId, type CosmosHandle } from './client.js';

interface StatsDocument extends UserStats {
  id: string;
  _etag?: string;
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
    if (!resource) return { stats: null, etag: null };
    const { userId: owner, total, counts, lastActivity, watermark, updatedAt } = resource;
    return { stats: { userId: owner, total, counts, lastActivity, watermark, updatedAt }, etag: resource._etag ?? null };
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
