/** Leaderboard records in Cosmos, partitioned by board: entries and archive claims. */
import type { Container } from '@azure/cosmos';
import type { LeaderboardEntry, LeaderboardRecords, StoredEntry } from '../../core/leaderboards/ports.js';
import { cosmosStatus, createIfAbsent, type CosmosHandle } from './client.js';

interface EntryDoc extends StoredEntry {
  id: string;
  type: 'entry';
  _etag?: string;
}

const entryId = (period: string, userId: string) => `entry|${period}|${userId}`;

function fromDoc(doc: EntryDoc): StoredEntry {
  const { boardId, period, userId, score, metadata, reachedAt, version, keys } = doc;
  return { boardId, period, userId, score, metadata, reachedAt, version, keys };
}

export class CosmosLeaderboardRecords implements LeaderboardRecords {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('leaderboards');
  }

  async read(boardId: string, period: string, userId: string): Promise<{ entry: StoredEntry | null; etag: string | null }> {
    const { resource } = await this.container.item(entryId(period, userId), boardId).read<EntryDoc>();
    return resource ? { entry: fromDoc(resource), etag: resource._etag ?? null } : { entry: null, etag: null };
  }

  async write(entry: StoredEntry, etag: string | null): Promise<boolean> {
    const doc: EntryDoc = { ...entry, id: entryId(entry.period, entry.userId), type: 'entry' };
    try {
      if (etag === null) await this.container.items.create(doc);
      else await this.container.item(doc.id, entry.boardId).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      return true;
    } catch (error) {
      const status = cosmosStatus(error);
      if (status === 409 || status === 412) return false;
      throw error;
    }
  }

  async *pages(boardId: string, period: string): AsyncIterable<LeaderboardEntry[]> {
    const iterator = this.container.items.query<EntryDoc>(
      {
        query: "SELECT * FROM c WHERE c.boardId = @boardId AND c.type = 'entry' AND c.period = @period",
        parameters: [
          { name: '@boardId', value: boardId },
          { name: '@period', value: period },
        ],
      },
      { partitionKey: boardId, maxItemCount: 1_000 },
    );
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      if (resources.length > 0) yield resources.map(fromDoc);
    }
  }

  async claimArchive(boardId: string, period: string, archive: { entries: number; archivedAt: string }): Promise<boolean> {
    return createIfAbsent(this.container, { id: `archive|${period}`, type: 'archive', boardId, period, ...archive });
  }
}
