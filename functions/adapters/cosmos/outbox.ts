/** The event outbox in Cosmos: an event is a document here until Service Bus has it. */
import type { Container } from '@azure/cosmos';
import type { EventOutbox } from '../../core/events/outbox.js';
import type { UserEvent } from '../../core/events/events.js';
import { deleteIfPresent, type CosmosHandle } from './client.js';

interface OutboxDocument {
  id: string;
  userId: string;
  event: UserEvent;
  recordedAt: number;
}

export class CosmosEventOutbox implements EventOutbox {
  private readonly container: Container;

  constructor(
    cosmos: CosmosHandle,
    private readonly now: () => number,
  ) {
    this.container = cosmos.container('outbox');
  }

  async record(events: UserEvent[]): Promise<void> {
    await Promise.all(
      events.map((event) =>
        // An upsert: recording the same event twice (a retried request) leaves one document.
        this.container.items.upsert<OutboxDocument>({ id: event.id, userId: event.data.userId, event, recordedAt: this.now() }),
      ),
    );
  }

  async pending(olderThanMs: number, limit: number): Promise<UserEvent[]> {
    const { resources } = await this.container.items
      .query<OutboxDocument>({
        query: 'SELECT TOP @limit * FROM c WHERE c.recordedAt < @before ORDER BY c.recordedAt',
        parameters: [
          { name: '@limit', value: limit },
          { name: '@before', value: olderThanMs },
        ],
      })
      .fetchAll();
    return resources.map((doc) => doc.event);
  }

  /** How many events wait to be published (a cross-partition count: for metrics, not hot paths). */
  async size(): Promise<number> {
    const { resources } = await this.container.items.query<number>('SELECT VALUE COUNT(1) FROM c').fetchAll();
    return Number(resources[0] ?? 0);
  }

  async remove(events: UserEvent[]): Promise<void> {
    await Promise.all(
      events.map(async (event) => {
        await deleteIfPresent(this.container, event.id, event.data.userId);
      }),
    );
  }
}
