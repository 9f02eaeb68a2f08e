/** Activity history in Cosmos: bulk creates for the sync (bulk.ts), point creates for the direct path, keyset pages. */
import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { sortKey, type Activity, type ActivityHistoryQuery, type ActivityStore } from '../../core/activity/ports.js';
import type { BufferedActivity, SyncStore, WriteOutcome } from '../../core/activity/sync.js';
import { bulk } from './bulk.js';
import { createIfAbsent, isPossibleId, type CosmosHandle } from './client.js';

interface ActivityDocument extends Activity {
  type: 'activity';
  /** Buffer position the sync wrote it from; null for the direct path. */
  seq: string | null;
  /** timestamp|id: newest-first order as one indexed field (one-field ORDER BY, keyset paging). */
  sortKey: string;
}

function toDocument(activity: Activity, seq: string | null): ActivityDocument {
  return {
    id: activity.id,
    userId: activity.userId,
    activity: activity.activity,
    details: activity.details,
    timestamp: activity.timestamp,
    receivedAt: activity.receivedAt,
    type: 'activity',
    seq,
    sortKey: sortKey(activity),
  };
}

function fromDocument(doc: ActivityDocument): Activity {
  return { id: doc.id, userId: doc.userId, activity: doc.activity, details: doc.details, timestamp: doc.timestamp, receivedAt: doc.receivedAt };
}

export class CosmosActivityStore implements ActivityStore, SyncStore {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('activity');
  }

  async create(activity: Activity): Promise<'created' | 'existing'> {
    return (await createIfAbsent(this.container, toDocument(activity, null))) ? 'created' : 'existing';
  }

  async createMany(items: BufferedActivity[]): Promise<WriteOutcome[]> {
    if (items.length === 0) return [];
    const operations: OperationInput[] = items.map((item) => ({
      operationType: 'Create',
      partitionKey: item.userId,
      resourceBody: toDocument(item, item.seq) as unknown as JSONObject,
    }));
    const results = await bulk(this.container, operations);
    const outcomes: (WriteOutcome | undefined)[] = [];
    const conflicts: number[] = [];
    for (const [i, result] of results.entries()) {
      const status = result.statusCode;
      if (status === 201 || status === 200) outcomes[i] = { outcome: 'created' };
      else if (status === 409) conflicts.push(i);
      // Throttling, timeouts, outages: fail the batch; it stays in the buffer for the next run.
      else throw new Error(`Cosmos refused activity ${items[i]?.id} of ${items[i]?.userId} with ${String(status)}`);
    }
    // Conflicts come in bulk after a crash (a whole batch replayed): read them in parallel.
    for (let start = 0; start < conflicts.length; start += 64) {
      await Promise.all(
        conflicts.slice(start, start + 64).map(async (i) => {
          outcomes[i] = { outcome: 'existing', storedSeq: await this.storedSeq(items[i] as BufferedActivity) };
        }),
      );
    }
    return outcomes as WriteOutcome[];
  }

  /** Only for conflicts: replays of a crashed run, or resends of an activity. */
  private async storedSeq(item: BufferedActivity): Promise<string | null> {
    const { resource } = await this.container.item(item.id, item.userId).read<ActivityDocument>();
    return resource?.seq ?? null;
  }

  async history(userId: string, query: ActivityHistoryQuery): Promise<Activity[]> {
    // The user id arrives from the path: one Cosmos cannot hold as a partition key has no history.
    if (!isPossibleId(userId)) return [];
    const filters = ['c.userId = @userId', "c.type = 'activity'"];
    const parameters: { name: string; value: string | number }[] = [{ name: '@userId', value: userId }];
    if (query.before !== undefined) {
      filters.push('c.sortKey < @before');
      parameters.push({ name: '@before', value: query.before });
    }
    if (query.since !== undefined) {
      filters.push('c.timestamp >= @since');
      parameters.push({ name: '@since', value: new Date(query.since).toISOString() });
    }
    const { resources } = await this.container.items
      .query<ActivityDocument>(
        { query: `SELECT TOP @limit * FROM c WHERE ${filters.join(' AND ')} ORDER BY c.sortKey DESC`, parameters: [...parameters, { name: '@limit', value: query.limit }] },
        { partitionKey: userId },
      )
      .fetchAll();
    return resources.map(fromDocument);
  }

}
