import { randomUUID } from 'node:crypto';
import { withApplicationProperties, type StoredContent } from './codec.js';

export interface QueueSettings {
  lockDurationMs: number;
  /** Deliveries allowed before the message is dead-lettered; Infinity for a dead-letter queue. */
  maxDeliveryCount: number;
  deadLetteringOnMessageExpiration: boolean;
  /** Upper bound on a message's time to live; Infinity when the entity sets none. */
  defaultTtlMs: number;
}

export interface StoredMessage {
  content: StoredContent;
  sequenceNumber: number;
  enqueuedAt: number;
  expiresAt: number;
  /** Completed delivery attempts so far: the AMQP header value the next delivery carries (0 on the first). */
  deliveryCount: number;
  deferred: boolean;
}

export interface Lock {
  token: string;
  message: StoredMessage;
  lockedUntil: number;
  timer: NodeJS.Timeout;
}

/** A receiving link, seen from the queue. */
export interface Consumer {
  readonly peekLock: boolean;
  /** How many messages it can take right now (its unused link credit). */
  capacity(): number;
  deliver(message: StoredMessage, lock: Lock | undefined): void;
}

export type Disposition =
  | { kind: 'complete' }
  | { kind: 'abandon'; propertiesToModify?: Record<string, unknown> }
  | { kind: 'defer'; propertiesToModify?: Record<string, unknown> }
  | { kind: 'deadLetter'; reason?: string; description?: string; propertiesToModify?: Record<string, unknown> };

export interface PeekedMessage {
  message: StoredMessage;
  lockedUntil: number | undefined;
}

const bySequence = (a: StoredMessage, b: StoredMessage): number => a.sequenceNumber - b.sequenceNumber;

/**
 * One receivable entity (a queue, a subscription, or a dead-letter sub-queue): available messages in sequence order,
 * peek-locks with expiry timers, deferred messages, and the consumers waiting for them.
 */
export class MessageQueue {
  readonly deadLetterQueue: MessageQueue | undefined;
  private readonly available: StoredMessage[] = [];
  private readonly locks = new Map<string, Lock>();
  private readonly deferred = new Map<number, StoredMessage>();
  private readonly consumers: Consumer[] = [];
  private nextConsumer = 0;
  private nextSequenceNumber = 1;

  constructor(
    readonly path: string,
    readonly settings: QueueSettings,
    private readonly log: (line: string) => void,
    withDeadLetterQueue = true,
  ) {
    this.deadLetterQueue = withDeadLetterQueue
      ? new MessageQueue(`${path}/$DeadLetterQueue`, { ...settings, maxDeliveryCount: Infinity }, log, false)
      : undefined;
  }

  /** Adds a message. Publishers pass the sequence number they assigned (shared by a topic's copies); a dead-letter queue numbers its own. */
  enqueue(content: StoredContent, options: { sequenceNumber?: number; deliveryCount?: number } = {}): StoredMessage {
    const now = Date.now();
    const sequenceNumber = options.sequenceNumber ?? this.nextSequenceNumber;
    // Dead-letter queues never expire messages; elsewhere the shorter of the message's and the entity's TTL applies.
    const ttl = this.deadLetterQueue ? Math.min(content.ttlMs ?? Infinity, this.settings.defaultTtlMs) : Infinity;
    const message: StoredMessage = { content, sequenceNumber, enqueuedAt: now, expiresAt: now + ttl, deliveryCount: options.deliveryCount ?? 0, deferred: false };
    this.nextSequenceNumber = Math.max(this.nextSequenceNumber, sequenceNumber + 1);
    this.insert(message);
    return message;
  }

  addConsumer(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.dispatch();
  }

  removeConsumer(consumer: Consumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
  }

  /** Hands available messages to consumers with credit, round-robin, locking them for peek-lock consumers. */
  dispatch(): void {
    while (this.available.length > 0) {
      const consumer = this.pickConsumer();
      if (!consumer) return;
      const message = this.available.shift();
      if (!message) return;
      if (message.expiresAt <= Date.now()) {
        this.expire(message);
        continue;
      }
      consumer.deliver(message, consumer.peekLock ? this.lock(message) : undefined);
    }
  }

  settle(token: string, disposition: Disposition): 'settled' | 'lock-lost' {
    const lock = this.locks.get(token);
    if (!lock) return 'lock-lost';
    this.unlock(lock);
    const { message } = lock;
    if (disposition.kind === 'complete') return 'settled';
    if (disposition.propertiesToModify) message.content = withApplicationProperties(message.content, disposition.propertiesToModify);
    if (disposition.kind === 'deadLetter') {
      this.deadLetter(message, disposition.reason, disposition.description);
    } else if (disposition.kind === 'defer') {
      message.deferred = true;
      this.deferred.set(message.sequenceNumber, message);
    } else {
      this.release(message);
    }
    return 'settled';
  }

  /** Extends a lock by the entity's lock duration; undefined when the lock is gone (settled or expired). */
  renewLock(token: string): number | undefined {
    const lock = this.locks.get(token);
    if (!lock) return undefined;
    clearTimeout(lock.timer);
    lock.lockedUntil = Date.now() + this.settings.lockDurationMs;
    lock.timer = this.lockTimer(token);
    return lock.lockedUntil;
  }

  /** Messages from `fromSequenceNumber` on, whatever their state (available, locked, deferred), without locking them. */
  peek(fromSequenceNumber: number, count: number): PeekedMessage[] {
    const lockedUntil = new Map([...this.locks.values()].map((lock) => [lock.message, lock.lockedUntil]));
    return [...this.available, ...lockedUntil.keys(), ...this.deferred.values()]
      .filter((message) => message.sequenceNumber >= fromSequenceNumber)
      .sort(bySequence)
      .slice(0, count)
      .map((message) => ({ message, lockedUntil: lockedUntil.get(message) }));
  }

  /** Takes deferred messages out by sequence number (locked for peek-lock, removed otherwise); undefined, taking none, if any is missing. */
  receiveDeferred(sequenceNumbers: readonly number[], peekLock: boolean): Array<{ message: StoredMessage; lock: Lock | undefined }> | undefined {
    if (!sequenceNumbers.every((sequenceNumber) => this.deferred.has(sequenceNumber))) return undefined;
    const taken: Array<{ message: StoredMessage; lock: Lock | undefined }> = [];
    for (const sequenceNumber of sequenceNumbers) {
      const message = this.deferred.get(sequenceNumber);
      if (!message) continue;
      this.deferred.delete(sequenceNumber);
      taken.push({ message, lock: peekLock ? this.lock(message) : undefined });
    }
    return taken;
  }

  /** Expires available and deferred messages whose time to live has passed (dead-letters or drops them). */
  sweep(now = Date.now()): void {
    const expired = this.available.filter((message) => message.expiresAt <= now);
    if (expired.length > 0) {
      const kept = this.available.filter((message) => message.expiresAt > now);
      this.available.splice(0, this.available.length, ...kept);
    }
    for (const message of this.deferred.values()) {
      if (message.expiresAt <= now) {
        this.deferred.delete(message.sequenceNumber);
        expired.push(message);
      }
    }
    for (const message of expired) this.expire(message);
    this.deadLetterQueue?.sweep(now);
  }

  counts(): { active: number; locked: number; deferred: number; total: number } {
    const total = this.available.length + this.locks.size + this.deferred.size;
    return { active: this.available.length, locked: this.locks.size, deferred: this.deferred.size, total };
  }

  /** Stops every lock timer so nothing keeps the process alive. */
  close(): void {
    for (const lock of this.locks.values()) clearTimeout(lock.timer);
    this.locks.clear();
    this.consumers.length = 0;
    this.deadLetterQueue?.close();
  }

  private pickConsumer(): Consumer | undefined {
    for (let tried = 0; tried < this.consumers.length; tried++) {
      const index = (this.nextConsumer + tried) % this.consumers.length;
      const consumer = this.consumers[index];
      if (consumer && consumer.capacity() > 0) {
        this.nextConsumer = index + 1;
        return consumer;
      }
    }
    return undefined;
  }

  private insert(message: StoredMessage): void {
    // Abandoned messages go back to their original position, as in Service Bus.
    let index = this.available.length;
    while (index > 0 && (this.available[index - 1]?.sequenceNumber ?? 0) > message.sequenceNumber) index--;
    this.available.splice(index, 0, message);
    this.dispatch();
  }

  private lock(message: StoredMessage): Lock {
    const token = randomUUID();
    const lock: Lock = { token, message, lockedUntil: Date.now() + this.settings.lockDurationMs, timer: this.lockTimer(token) };
    this.locks.set(token, lock);
    return lock;
  }

  private lockTimer(token: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const lock = this.locks.get(token);
      if (!lock) return;
      this.unlock(lock);
      this.log(`${this.path}: lock on message #${lock.message.sequenceNumber} expired`);
      this.release(lock.message);
    }, this.settings.lockDurationMs);
    return timer;
  }

  private unlock(lock: Lock): void {
    clearTimeout(lock.timer);
    this.locks.delete(lock.token);
  }

  /** Back to the queue after an abandon or lock expiry, unless that was the last allowed delivery or it has expired meanwhile. */
  private release(message: StoredMessage): void {
    message.deliveryCount++;
    if (message.deliveryCount >= this.settings.maxDeliveryCount && this.deadLetterQueue) {
      this.deadLetter(message, 'MaxDeliveryCountExceeded', `Message could not be consumed after ${this.settings.maxDeliveryCount} delivery attempts.`);
    } else if (message.expiresAt <= Date.now()) {
      this.expire(message);
    } else if (message.deferred) {
      this.deferred.set(message.sequenceNumber, message);
    } else {
      this.insert(message);
    }
  }

  private expire(message: StoredMessage): void {
    if (this.settings.deadLetteringOnMessageExpiration && this.deadLetterQueue) {
      this.deadLetter(message, 'TTLExpiredException', 'The message expired and was dead lettered.');
    } else {
      this.log(`${this.path}: message #${message.sequenceNumber} expired and was dropped`);
    }
  }

  private deadLetter(message: StoredMessage, reason: string | undefined, description: string | undefined): void {
    if (!this.deadLetterQueue) {
      // Dead-lettering from the dead-letter queue itself: the message simply stays there.
      this.insert(message);
      return;
    }
    const content = withApplicationProperties(message.content, { DeadLetterReason: reason, DeadLetterErrorDescription: description });
    this.deadLetterQueue.enqueue(content, { deliveryCount: message.deliveryCount });
    this.log(`${this.path}: message #${message.sequenceNumber} dead-lettered (${reason ?? 'no reason'})`);
  }
}
