/**
 * The event outbox in Cosmos. An account change's events live in the document the change writes
 * (`pendingEvents` on a user or session, with `pendingSince` for the relay's query), so the
 * change and its event are one atomic write. Real Cosmos could instead put a separate outbox
 * document in the same logical partition and write both in one transactional batch; the local
 * stand-in's batch is not atomic, so the tested path is the single document. Events of changes
 * that write no document of ours are documents of their own in the `outbox` container.
 */
import type { Container } from '@azure/cosmos';
import type { EventHolder, EventOutbox, PendingBatch, PendingEvent } from '../../core/events/outbox.js';
import type { UserEvent } from '../../core/events/events.js';
import { cosmosStatus, deleteIfPresent, type CosmosHandle } from './client.js';

interface OutboxDocument {
  id: string;
  userId: string;
  event: UserEvent;
  recordedAt: number;
}

/** The fields a user or session document carries while it holds unpublished events. */
export interface PendingFields {
  pendingEvents?: PendingEvent[];
  /** The oldest pending event's time: what the relay queries (absent once all are published). */
  pendingSince?: number;
}

export function pendingFields(events: PendingEvent[] | undefined): PendingFields {
  if (!events || events.length === 0) return {};
  return { pendingEvents: events, pendingSince: Math.min(...events.map((p) => p.recordedAt)) };
}

interface HolderDocument extends PendingFields {
  id: string;
  _etag?: string;
}

const HOLDER_CONTAINERS = { user: 'users', session: 'sessions' } as const;
const HOLDER_PARTITION = { user: 'id', session: 'userId' } as const;

export class CosmosEventOutbox implements EventOutbox {
  private readonly container: Container;

  constructor(
    private readonly cosmos: CosmosHandle,
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

  async pending(olderThanMs: number, limit: number): Promise<PendingBatch[]> {
    const parameters = [
      { name: '@limit', value: limit },
      { name: '@before', value: olderThanMs },
    ];
    const { resources: own } = await this.container.items
      .query<OutboxDocument>({ query: 'SELECT TOP @limit * FROM c WHERE c.recordedAt < @before ORDER BY c.recordedAt', parameters })
      .fetchAll();
    const batches: PendingBatch[] = own.map((doc) => ({ holder: { kind: 'outbox', id: doc.id, partition: doc.userId }, events: [doc.event] }));
    for (const kind of ['user', 'session'] as const) {
      if (batches.length >= limit) break;
      // A cross-partition query; only documents still holding events match the range filter.
      const { resources } = await this.cosmos
        .container(HOLDER_CONTAINERS[kind])
        .items.query<HolderDocument & Record<string, unknown>>({ query: 'SELECT TOP @limit * FROM c WHERE c.pendingSince < @before', parameters })
        .fetchAll();
      for (const doc of resources) {
        const partition = doc[HOLDER_PARTITION[kind]];
        if (typeof partition !== 'string' || !doc.pendingEvents?.length) continue;
        batches.push({ holder: { kind, id: doc.id, partition }, events: doc.pendingEvents.map((p) => p.event) });
      }
    }
    return batches.slice(0, limit);
  }

  /** How many events wait to be published (a cross-partition count: for metrics, not hot paths). */
  async size(): Promise<number> {
    const { resources } = await this.container.items.query<number>('SELECT VALUE COUNT(1) FROM c').fetchAll();
    return Number(resources[0] ?? 0);
  }

  async clear(batch: PendingBatch): Promise<void> {
    const { holder } = batch;
    if (holder.kind === 'outbox') {
      await deleteIfPresent(this.container, holder.id, holder.partition);
      return;
    }
    await this.clearHeld(holder.kind, holder, new Set(batch.events.map((e) => e.id)));
  }

  /** Removes the published events from their document; a concurrent write (412) means read again. */
  private async clearHeld(kind: 'user' | 'session', holder: EventHolder, published: Set<string>): Promise<void> {
    const item = this.cosmos.container(HOLDER_CONTAINERS[kind]).item(holder.id, holder.partition);
    for (let attempt = 0; attempt < 5; attempt++) {
      const { resource } = await item.read<HolderDocument & Record<string, unknown>>();
      if (!resource?._etag || !resource.pendingEvents?.some((p) => published.has(p.event.id))) return;
      const { pendingEvents: held, pendingSince: _since, ...rest } = resource;
      const cleared = { ...rest, ...pendingFields(held?.filter((p) => !published.has(p.event.id))) };
      try {
        await item.replace(cleared, { accessCondition: { type: 'IfMatch', condition: resource._etag } });
        return;
      } catch (error) {
        if (cosmosStatus(error) === 404) return;
        if (cosmosStatus(error) !== 412) throw error;
      }
    }
    throw new Error(`events: could not clear published events from ${holder.kind} ${holder.id} (kept changing)`);
  }
}
