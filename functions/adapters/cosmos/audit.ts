/** The audit trail: every user event as received from the topic, one document per event id. */
import type { Container } from '@azure/cosmos';
import type { AuditEntry, AuditLog } from '../../core/events/audit.js';
import type { Page, PageRequest } from '../../core/kernel/paging.js';
import { bulk, type JSONObject } from './bulk.js';
import { createIfAbsent, encodeCursor, fetchPage, isPossibleId, type CosmosHandle } from './client.js';

interface AuditDocument extends AuditEntry {
  _etag?: string;
}

export class CosmosAuditLog implements AuditLog {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('audit');
  }

  async append(entry: AuditEntry): Promise<'recorded' | 'duplicate'> {
    const document: AuditDocument = entry;
    return (await createIfAbsent(this.container, document)) ? 'recorded' : 'duplicate';
  }

  async appendMany(entries: AuditEntry[]): Promise<('recorded' | 'duplicate')[]> {
    const results = await bulk(this.container, entries.map((entry) => ({ operationType: 'Create', partitionKey: entry.userId, resourceBody: entry as unknown as JSONObject })));
    return results.map((result, i) => {
      if (result.statusCode === 201 || result.statusCode === 200) return 'recorded';
      if (result.statusCode === 409) return 'duplicate';
      throw new Error(`Cosmos refused audit event ${entries[i]?.id} with ${result.statusCode}`);
    });
  }

  async list(userId: string, page: PageRequest): Promise<Page<AuditEntry>> {
    // The user id arrives from the path: one Cosmos cannot hold as a partition key has no events.
    if (!isPossibleId(userId)) return { items: [], cursor: null };
    const response = await fetchPage(page.cursor, (continuationToken) =>
      this.container.items
        .query<AuditDocument>(
          { query: 'SELECT * FROM c WHERE c.userId = @userId ORDER BY c.sortKey DESC', parameters: [{ name: '@userId', value: userId }] },
          { partitionKey: userId, maxItemCount: page.limit, continuationToken },
        )
        .fetchNext(),
    );
    return {
      items: response.resources.map(({ id, userId: owner, type, data, timestamp, recordedAt, sortKey }) => ({ id, userId: owner, type, data, timestamp, recordedAt, sortKey })),
      cursor: encodeCursor(response.continuationToken),
    };
  }
}
