/**
 * The outbox: an event is recorded durably before it is published, so a Service Bus outage delays
 * it instead of losing it; the relay timer publishes what was left behind.
 */
import type { UserEvent } from './events.js';

export interface EventPublisher {
  /** Sends the events; throws if any could not be sent (the caller keeps them for a retry). */
  publish(events: UserEvent[], options?: { timeoutMs?: number }): Promise<void>;
}

/** Durable record of events not yet known to be published: the transactional-outbox idea. */
export interface EventOutbox {
  record(events: UserEvent[]): Promise<void>;
  /** Events recorded before `olderThanMs` and still not removed, oldest first. */
  pending(olderThanMs: number, limit: number): Promise<UserEvent[]>;
  remove(events: UserEvent[]): Promise<void>;
}

/** What the use cases call: record the events, try to publish now, leave the rest to the relay. */
export interface EventSink {
  emit(events: UserEvent[]): Promise<void>;
}

export class OutboxEventSink implements EventSink {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly publisher: EventPublisher,
    private readonly options: { publishTimeoutMs: number; onPublishFailure: (error: unknown, events: UserEvent[]) => void },
  ) {}

  async emit(events: UserEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Durable first: if Service Bus is away right now, the relay timer publishes these later.
    await this.outbox.record(events);
    try {
      await this.publisher.publish(events, { timeoutMs: this.options.publishTimeoutMs });
    } catch (error) {
      this.options.onPublishFailure(error, events);
      return;
    }
    await this.outbox.remove(events);
  }

  /** Publishes what an earlier emit could not; returns how many were sent. */
  async relay(olderThanMs: number, limit: number): Promise<number> {
    const pending = await this.outbox.pending(olderThanMs, limit);
    if (pending.length === 0) return 0;
    await this.publisher.publish(pending);
    await this.outbox.remove(pending);
    return pending.length;
  }

  /**
   * The relay timer's run: everything old enough that the request which recorded it has given up
   * publishing it itself, in rounds of 500, at most 10,000 a run. Returns how many were sent.
   */
  async relayDue(now: number): Promise<number> {
    // Younger events may still be in the hands of the request that recorded them.
    const olderThan = now - Math.max(5_000, 2 * this.options.publishTimeoutMs);
    let total = 0;
    for (let sent = -1; sent !== 0 && total < 10_000; total += sent) sent = await this.relay(olderThan, 500);
    return total;
  }
}
