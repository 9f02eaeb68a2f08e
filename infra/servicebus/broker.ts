import type { StoredContent } from './codec.js';
import { parseIsoDuration } from './duration.js';
import { compileRules, type MessageFilter } from './filters.js';
import { MessageQueue, type QueueSettings } from './message-queue.js';
import { ScheduledMessages } from './scheduler.js';
import { validateTopology, type ReceiverEntitySettings, type Topology } from './topology.js';

export interface EntityStats {
  active: number;
  locked: number;
  deferred: number;
  deadLetter: number;
}

export interface BrokerStats {
  /** `scheduled` counts messages held at the topic until their scheduled enqueue time. */
  topics: Record<string, { scheduled: number; subscriptions: Record<string, EntityStats> }>;
  queues: Record<string, EntityStats & { scheduled: number }>;
}

/** Remembers message ids for the duplicate detection window; ids are recorded in arrival order, so pruning is from the front. */
class DuplicateDetector {
  private readonly seen = new Map<string, number>();
  constructor(private readonly windowMs: number) {}

  isDuplicate(messageId: string | undefined, now = Date.now()): boolean {
    for (const [id, at] of this.seen) {
      if (at > now - this.windowMs) break;
      this.seen.delete(id);
    }
    if (messageId === undefined) return false;
    if (this.seen.has(messageId)) return true;
    this.seen.set(messageId, now);
    return false;
  }
}

interface Subscription {
  name: string;
  filter: MessageFilter;
  queue: MessageQueue;
}

/** Where an SDK sender's messages go: a topic (fanned out to matching subscriptions) or a queue. */
export abstract class Publisher {
  readonly scheduled = new ScheduledMessages();
  private nextSequenceNumber = 1;
  constructor(readonly name: string, private readonly duplicates: DuplicateDetector | undefined) {}

  /** Stores the message, or holds it until its scheduled enqueue time; its sequence number, or undefined for a dropped duplicate. */
  publish(content: StoredContent): number | undefined {
    if (this.duplicates?.isDuplicate(content.facts.messageId)) return undefined;
    const sequenceNumber = this.nextSequenceNumber++;
    if (content.scheduledAt !== undefined && content.scheduledAt > Date.now()) {
      this.scheduled.hold(sequenceNumber, content.scheduledAt, () => this.enqueue(content, sequenceNumber));
    } else {
      this.enqueue(content, sequenceNumber);
    }
    return sequenceNumber;
  }

  protected abstract enqueue(content: StoredContent, sequenceNumber: number): void;
}

class Topic extends Publisher {
  readonly subscriptions = new Map<string, Subscription>();

  protected enqueue(content: StoredContent, sequenceNumber: number): void {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.filter(content.facts)) subscription.queue.enqueue(content, { sequenceNumber });
    }
  }
}

class Queue extends Publisher {
  constructor(name: string, readonly queue: MessageQueue, duplicates: DuplicateDetector | undefined) {
    super(name, duplicates);
  }

  protected enqueue(content: StoredContent, sequenceNumber: number): void {
    this.queue.enqueue(content, { sequenceNumber });
  }
}

const DEAD_LETTER_SEGMENT = '$deadletterqueue';

/** Entity path segments of an AMQP address, lower-cased: `sb://host/Topic/Subscriptions/Audit` → ['topic', 'subscriptions', 'audit']. */
export function entitySegments(address: string): string[] {
  const path = address.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return path.split('/').filter((segment) => segment !== '').map((segment) => segment.toLowerCase());
}

function durationMs(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseIsoDuration(text);
}

function receiverSettings(entity: ReceiverEntitySettings, topicTtl?: string): QueueSettings {
  return {
    lockDurationMs: durationMs(entity.lockDuration) ?? 60_000,
    maxDeliveryCount: entity.maxDeliveryCount ?? 10,
    deadLetteringOnMessageExpiration: entity.deadLetteringOnMessageExpiration ?? false,
    defaultTtlMs: Math.min(durationMs(entity.defaultMessageTimeToLive) ?? Infinity, durationMs(topicTtl) ?? Infinity),
  };
}

function duplicateDetector(entity: { requiresDuplicateDetection?: boolean; duplicateDetectionHistoryTimeWindow?: string }): DuplicateDetector | undefined {
  if (!entity.requiresDuplicateDetection) return undefined;
  return new DuplicateDetector(durationMs(entity.duplicateDetectionHistoryTimeWindow) ?? 600_000);
}

function entityStats(queue: MessageQueue): EntityStats {
  const { active, locked, deferred } = queue.counts();
  return { active, locked, deferred, deadLetter: queue.deadLetterQueue?.counts().total ?? 0 };
}

/** All entities of the namespace, built from the topology, and the address resolution the AMQP layer needs. */
export class Broker {
  private readonly topics = new Map<string, Topic>();
  private readonly queues = new Map<string, Queue>();

  constructor(topology: Topology, log: (line: string) => void) {
    validateTopology(topology);
    for (const definition of topology.topics) {
      const topic = new Topic(definition.name, duplicateDetector(definition));
      for (const sub of definition.subscriptions) {
        const queue = new MessageQueue(`${definition.name}/Subscriptions/${sub.name}`, receiverSettings(sub, definition.defaultMessageTimeToLive), log);
        topic.subscriptions.set(sub.name.toLowerCase(), { name: sub.name, filter: compileRules(sub.rules ?? []), queue });
      }
      this.topics.set(definition.name.toLowerCase(), topic);
    }
    for (const definition of topology.queues ?? []) {
      const queue = new MessageQueue(definition.name, receiverSettings(definition), log);
      this.queues.set(definition.name.toLowerCase(), new Queue(definition.name, queue, duplicateDetector(definition)));
    }
  }

  /** The topic or queue an SDK sender (or its $management link) addresses, or undefined when no such entity exists. */
  publisherFor(address: string): Publisher | undefined {
    const segments = entitySegments(address);
    if (segments.at(-1) === '$management') segments.pop();
    const name = segments.join('/');
    return this.topics.get(name) ?? this.queues.get(name);
  }

  /** The queue, subscription or dead-letter sub-queue an SDK receiver (or its $management link) addresses. */
  queueFor(address: string): MessageQueue | undefined {
    const segments = entitySegments(address);
    if (segments.at(-1) === '$management') segments.pop();
    const deadLetter = segments.at(-1) === DEAD_LETTER_SEGMENT;
    if (deadLetter) segments.pop();
    // Entity names may themselves contain "/", so a subscription is recognised by the second-to-last segment.
    const isSubscription = segments.length >= 3 && segments.at(-2) === 'subscriptions';
    const queue = isSubscription
      ? this.topics.get(segments.slice(0, -2).join('/'))?.subscriptions.get(segments.at(-1) ?? '')?.queue
      : this.queues.get(segments.join('/'))?.queue;
    return deadLetter ? queue?.deadLetterQueue : queue;
  }

  /** Expires messages whose time to live has passed. */
  sweep(): void {
    for (const queue of this.allQueues()) queue.sweep();
  }

  stats(): BrokerStats {
    const stats: BrokerStats = { topics: {}, queues: {} };
    for (const topic of this.topics.values()) {
      const subscriptions: Record<string, EntityStats> = {};
      for (const sub of topic.subscriptions.values()) subscriptions[sub.name] = entityStats(sub.queue);
      stats.topics[topic.name] = { scheduled: topic.scheduled.count, subscriptions };
    }
    for (const queue of this.queues.values()) stats.queues[queue.name] = { ...entityStats(queue.queue), scheduled: queue.scheduled.count };
    return stats;
  }

  describe(): string[] {
    const lines = [...this.topics.values()].map(
      (topic) => `topic ${topic.name} → ${[...topic.subscriptions.values()].map((sub) => sub.name).join(', ') || '(no subscriptions)'}`,
    );
    return [...lines, ...[...this.queues.values()].map((queue) => `queue ${queue.name}`)];
  }

  close(): void {
    for (const queue of this.allQueues()) queue.close();
    for (const publisher of [...this.topics.values(), ...this.queues.values()]) publisher.scheduled.close();
  }

  private allQueues(): MessageQueue[] {
    const subscriptionQueues = [...this.topics.values()].flatMap((topic) => [...topic.subscriptions.values()].map((sub) => sub.queue));
    return [...subscriptionQueues, ...[...this.queues.values()].map((queue) => queue.queue)];
  }
}
