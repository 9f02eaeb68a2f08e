/**
 * The outbox: an event is recorded durably before it is published, so a Service Bus outage delays
 * it instead of losing it; the relay timer publishes what was left behind.
 *
 * The events of an account change (sign-up, login, logout) are written inside the very document
 * the change writes (the user, the session), so the change and its event are one atomic write and
 * no crash can fall between them. Other events (presence, activity) get a document of their own.
 */
import type { UserEvent } from './events.js';

export interface EventPublisher {
  /** Sends the events; throws if any could not be sent (the caller keeps them for a retry). */
  publish(events: UserEvent[], options?: { timeoutMs?: number }): Promise<void>;
}

/** An event waiting inside the document it describes, with when it was written there. */
export interface PendingEvent {
  event: UserEvent;
  recordedAt: number;
}

/** The document that holds pending events: its own outbox document, a user, or a session. */
export interface EventHolder {
  kind: 'outbox' | 'user' | 'session';
  id: string;
  partition: string;
}

/** Events of one holder that the relay found still unpublished. */
export interface PendingBatch {
  holder: EventHolder;
  events: UserEvent[];
}

/** Durable record of events not yet known to be published: the transactional-outbox idea. */
export interface EventOutbox {
  /** Records events in documents of their own (for changes that write no document of ours). */
  record(events: UserEvent[]): Promise<void>;
  /** Batches recorded before `olderThanMs` and still not cleared, in outbox documents, users and sessions. */
  pending(olderThanMs: number, limit: number): Promise<PendingBatch[]>;
  /** Forgets these events of the holder (published); events added to it meanwhile stay. */
  clear(batch: PendingBatch): Promise<void>;
}

/** What the use cases call. */
export interface EventSink {
  /** Records the events, tries to publish them now, leaves the rest to the relay. */
  emit(events: UserEvent[]): Promise<void>;
  /** Events the change already wrote into `holder` (as PendingEvent): tries to publish them now. */
  deliver(events: UserEvent[], holder: EventHolder): Promise<void>;
}

export function pendingEvents(events: UserEvent[], nowMs: number): PendingEvent[] {
  return events.map((event) => ({ event, recordedAt: nowMs }));
}

type FailureHandler = (error: unknown, events: UserEvent[]) => void;

export class OutboxEventSink implements EventSink {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly publisher: EventPublisher,
    private readonly options: { publishTimeoutMs: number; onPublishFailure: FailureHandler },
  ) {}

  async emit(events: UserEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Durable first: if Service Bus is away right now, the relay timer publishes these later.
    await this.outbox.record(events);
    await this.publishNow(
      events.map((event) => ({ holder: { kind: 'outbox', id: event.id, partition: event.data.userId }, events: [event] })),
    );
  }

  async deliver(events: UserEvent[], holder: EventHolder): Promise<void> {
    if (events.length === 0) return;
    await this.publishNow([{ holder, events }]);
  }

  /** The change is already durable: a failure here only leaves the events to the relay. */
  private async publishNow(batches: PendingBatch[]): Promise<void> {
    const events = batches.flatMap((batch) => batch.events);
    try {
      await this.publisher.publish(events, { timeoutMs: this.options.publishTimeoutMs });
    } catch (error) {
      this.options.onPublishFailure(error, events);
      return;
    }
    // Not cleared (Cosmos away): the relay publishes them again under the same message ids,
    // which Service Bus duplicate detection and idempotent subscribers absorb.
    await Promise.all(batches.map((batch) => this.outbox.clear(batch))).catch((error: unknown) => this.options.onPublishFailure(error, events));
  }

  /** Publishes what an earlier request could not; returns how many events were sent. */
  async relay(olderThanMs: number, limit: number): Promise<number> {
    const pending = await this.outbox.pending(olderThanMs, limit);
    if (pending.length === 0) return 0;
    await this.publisher.publish(pending.flatMap((batch) => batch.events));
    for (const batch of pending) await this.outbox.clear(batch);
    return pending.reduce((sum, batch) => sum + batch.events.length, 0);
  }

  /**
   * The relay timer's run: everything old enough that the request which recorded it has given up
   * publishing it itself, in rounds of 500 holders, at most 10,000 a run. Returns how many were sent.
   */
  async relayDue(now: number): Promise<number> {
    // Younger events may still be in the hands of the request that recorded them.
    const olderThan = now - Math.max(5_000, 2 * this.options.publishTimeoutMs);
    let total = 0;
    for (let sent = -1; sent !== 0 && total < 10_000; total += sent) sent = await this.relay(olderThan, 500);
    return total;
  }
}
