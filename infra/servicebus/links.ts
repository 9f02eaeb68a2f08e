import { randomBytes } from 'node:crypto';
import rhea, { type AmqpError, type Connection, type Container, type Delivery, type EventContext, type Receiver, type Sender } from 'rhea';
import type { Broker, Publisher } from './broker.js';
import { decodeStored, encodeStoredMessage, outcomes, unpackBatch } from './codec.js';
import { handleManagementRequest } from './management.js';
import type { Consumer, Disposition, Lock, MessageQueue, StoredMessage } from './message-queue.js';

/** Advertised on sender links; the SDK sizes `createMessageBatch` from it (Standard tier limit). */
export const MAX_MESSAGE_SIZE_BYTES = 256 * 1024;
/** Message format of a batch: one envelope whose data sections are encoded messages. */
const BATCH_FORMAT = 0x80013700;

// Link state that rhea keeps but does not type.
interface LinkInternals {
  local: { attach: { snd_settle_mode?: number; rcv_settle_mode?: number; max_message_size?: number } };
}
interface SenderInternals extends LinkInternals {
  session: { outgoing: { available(): number } };
  credit: number;
  delivery_count: number;
  _draining: boolean;
  _drained: boolean;
  _get_drain(): boolean;
}
const internals = <T extends LinkInternals>(link: Sender | Receiver): T => link as unknown as T;

const isRequestResponse = (address: string): boolean => address === '$cbs' || /(^|\/)\$management$/i.test(address);

/** The SDK derives the lock token from the delivery tag by reordering its bytes .NET-GUID style; this is the inverse. */
function deliveryTag(token: string): Buffer {
  const guid = rhea.string_to_uuid(token);
  const tag = Buffer.from(guid);
  tag.writeUInt32LE(guid.readUInt32BE(0), 0);
  tag.writeUInt16LE(guid.readUInt16BE(4), 4);
  tag.writeUInt16LE(guid.readUInt16BE(6), 6);
  return tag;
}

/** An SDK receiver, i.e. a broker-side sender link reading from one queue/subscription. */
class OutgoingLink implements Consumer {
  readonly peekLock: boolean;
  /** Transfers handed to rhea on this link; rhea itself only counts them once written. */
  private sent = 0;

  constructor(readonly sender: Sender, readonly queue: MessageQueue, private readonly lockTokens: WeakMap<Delivery, string>) {
    // receiveAndDelete attaches with snd_settle_mode 1 (settled): deliveries go out pre-settled and nothing is locked.
    this.peekLock = sender.snd_settle_mode !== 1;
    const state = internals<SenderInternals>(sender);
    // rhea answers a drain only while credit remains; when the last credit went to deliveries the SDK would wait for
    // the drain reply in vain (and close the link), so always answer, consuming whatever credit is left.
    state._get_drain = function (this: SenderInternals): boolean {
      if (!this._draining || !this._drained) return false;
      this.delivery_count += this.credit;
      this.credit = 0;
      return true;
    };
  }

  capacity(): number {
    if (!this.sender.is_open()) return 0;
    const state = internals<SenderInternals>(this.sender);
    // rhea moves credit into delivery_count as transfers are written, so the sum is the credit limit the peer granted.
    // The session's buffer of unsettled deliveries is finite too (peek-locked ones stay in it until settled).
    return Math.min(state.credit + state.delivery_count - this.sent, state.session.outgoing.available());
  }

  deliver(message: StoredMessage, lock: Lock | undefined): void {
    const delivery = this.sender.send(encodeStoredMessage(message, lock?.lockedUntil), lock ? deliveryTag(lock.token) : randomBytes(16), 0);
    this.sent++;
    if (lock) this.lockTokens.set(delivery, lock.token);
  }

  drain(): void {
    this.queue.dispatch();
    const state = internals<SenderInternals>(this.sender);
    this.sent = state.credit + state.delivery_count;
    this.sender.set_drained(true);
  }
}

function refuse(link: Sender | Receiver, description: string): void {
  // rhea has already queued the attach; the detach that follows carries the error the SDK maps to MessagingEntityNotFound.
  link.close({ condition: 'amqp:not-found', description });
}

/** Binds the broker to a rhea container: entity links, settlement, and the $cbs/$management request links. */
export class LinkHandler {
  private readonly lockTokens = new WeakMap<Delivery, string>();
  private readonly publishers = new WeakMap<Receiver, Publisher>();
  private readonly cleanups = new Map<Connection, Set<() => void>>();

  constructor(private readonly broker: Broker, private readonly log: (line: string) => void) {}

  attach(container: Container): void {
    container.on('sender_open', (context: EventContext) => context.sender && this.onSenderOpen(context.sender, context.connection));
    container.on('receiver_open', (context: EventContext) => context.receiver && this.onReceiverOpen(context.receiver));
    container.on('message', (context: EventContext) => this.onMessage(context));
    container.on('connection_close', (context: EventContext) => this.forget(context.connection));
    container.on('disconnected', (context: EventContext) => this.forget(context.connection));
    for (const event of ['sender_error', 'receiver_error', 'session_error', 'connection_error']) {
      container.on(event, (context: EventContext) => this.log(`${event}: ${JSON.stringify(context.sender?.error ?? context.receiver?.error ?? context.session?.error ?? context.connection.error)}`));
    }
    container.on('error', (error: Error) => this.log(`amqp error: ${error.message}`));
  }

  private onSenderOpen(sender: Sender, connection: Connection): void {
    const address = sender.source?.address ?? '';
    if (isRequestResponse(address)) {
      sender.set_source({ address });
      sender.set_target({ address: sender.target?.address });
      return;
    }
    const queue = this.broker.queueFor(address);
    if (!queue) return refuse(sender, `The messaging entity '${address}' could not be found.`);
    sender.set_source({ address });
    sender.set_target({ address: sender.target?.address });
    const attach = internals<SenderInternals>(sender).local.attach;
    attach.snd_settle_mode = sender.snd_settle_mode;
    attach.rcv_settle_mode = sender.rcv_settle_mode;
    const link = new OutgoingLink(sender, queue, this.lockTokens);
    sender.on('sender_flow', () => queue.dispatch());
    sender.on('sender_draining', () => link.drain());
    sender.on('accepted', (context: EventContext) => this.settle(link, context, { kind: 'complete' }, outcomes.accepted()));
    sender.on('rejected', (context: EventContext) => this.settle(link, context, deadLetterDisposition(context), outcomes.rejected()));
    sender.on('released', (context: EventContext) => this.settle(link, context, { kind: 'abandon' }, outcomes.released()));
    sender.on('modified', (context: EventContext) => {
      const state = (context.delivery?.remote_state ?? {}) as { undeliverable_here?: boolean; message_annotations?: Record<string, unknown> };
      const propertiesToModify = state.message_annotations;
      // undeliverable_here is how the SDK asks for defer; a plain modified is an abandon.
      const disposition: Disposition = state.undeliverable_here ? { kind: 'defer', propertiesToModify } : { kind: 'abandon', propertiesToModify };
      this.settle(link, context, disposition, outcomes.modified({ delivery_failed: state.undeliverable_here !== true, undeliverable_here: state.undeliverable_here === true }));
    });
    const detach = (): void => {
      queue.removeConsumer(link);
      this.cleanups.get(connection)?.delete(detach);
    };
    sender.on('sender_close', detach);
    this.track(connection, detach);
    this.log(`receiver attached to ${queue.path} (${link.peekLock ? 'peekLock' : 'receiveAndDelete'})`);
    queue.addConsumer(link);
  }

  private settle(link: OutgoingLink, context: EventContext, disposition: Disposition, success: unknown): void {
    const delivery = context.delivery;
    if (!delivery || delivery.settled) return;
    const token = this.lockTokens.get(delivery);
    const result = token === undefined ? 'lock-lost' : link.queue.settle(token, disposition);
    delivery.update(true, result === 'settled' ? success : outcomes.lockLost(`The lock on the message in ${link.queue.path} was lost.`));
    // The SDK settles first in peek-lock and never confirms our settlement, so rhea would keep the
    // delivery in the session's outgoing buffer forever; once 2,048 pile up the link stops sending.
    (delivery as unknown as { remote_settled: boolean }).remote_settled = true;
  }

  private onReceiverOpen(receiver: Receiver): void {
    const address = receiver.target?.address ?? '';
    if (isRequestResponse(address)) {
      receiver.set_target({ address });
      return;
    }
    const publisher = this.broker.publisherFor(address);
    if (!publisher) {
      const hint = this.broker.queueFor(address) ? ' (messages are sent to the topic, not to a subscription)' : '';
      return refuse(receiver, `The messaging entity '${address}' could not be found${hint}.`);
    }
    receiver.set_target({ address });
    internals(receiver).local.attach.max_message_size = MAX_MESSAGE_SIZE_BYTES;
    this.publishers.set(receiver, publisher);
  }

  private onMessage(context: EventContext): void {
    const { receiver, delivery, message } = context;
    if (!receiver || !delivery || message === undefined) return;
    const address = receiver.target?.address ?? '';
    if (isRequestResponse(address)) {
      delivery.accept();
      return this.answer(context, address);
    }
    const publisher = this.publishers.get(receiver);
    if (!publisher) return delivery.reject({ condition: 'amqp:not-found', description: `No entity behind '${address}'` });
    try {
      // rhea decodes format-0 messages and hands other formats over raw; single messages are re-encoded to share one path.
      const encoded = delivery.format === BATCH_FORMAT ? unpackBatch(message as unknown as Buffer) : [rhea.message.encode(message)];
      const size = encoded.reduce((total, part) => total + part.length, 0);
      if (size > MAX_MESSAGE_SIZE_BYTES) {
        return delivery.reject({ condition: 'amqp:link:message-size-exceeded', description: `The message is ${size} bytes; the limit is ${MAX_MESSAGE_SIZE_BYTES}.` });
      }
      for (const part of encoded) {
        const content = decodeStored(part);
        const stored = publisher.publish(content) !== undefined;
        this.log(`${publisher.name}: ${stored ? 'received' : 'dropped duplicate'} message ${content.facts.messageId ?? ''}${content.facts.subject ? ` (${content.facts.subject})` : ''}`);
      }
      delivery.accept();
    } catch (error) {
      delivery.reject({ condition: 'amqp:decode-error', description: (error as Error).message } satisfies AmqpError);
    }
  }

  private answer(context: EventContext, address: string): void {
    const request = context.message;
    if (!request) return;
    const replyTo = String(request.reply_to ?? '');
    const response = handleManagementRequest(this.broker, address, request);
    const reply = context.connection.find_sender((link: Sender) => link.name === replyTo || link.target?.address === replyTo);
    if (!reply) return this.log(`${address}: no reply link named '${replyTo}' for ${String(request.application_properties?.['operation'])}`);
    // core-amqp reads "status-code", the Service Bus management client reads "statusCode"; send both.
    const properties: Record<string, unknown> = {
      statusCode: response.status,
      'status-code': response.status,
      statusDescription: response.description,
      'status-description': response.description,
    };
    if (response.condition) properties['error-condition'] = response.condition;
    reply.send({ correlation_id: request.message_id, to: replyTo, application_properties: properties, body: response.body });
  }

  private track(connection: Connection, cleanup: () => void): void {
    const set = this.cleanups.get(connection) ?? new Set();
    set.add(cleanup);
    this.cleanups.set(connection, set);
  }

  private forget(connection: Connection): void {
    for (const cleanup of [...(this.cleanups.get(connection) ?? [])]) cleanup();
    this.cleanups.delete(connection);
  }
}

/** The SDK dead-letters by rejecting with DeadLetterReason/DeadLetterErrorDescription (plus properties to modify) in the error info. */
function deadLetterDisposition(context: EventContext): Disposition {
  const state = (context.delivery?.remote_state ?? {}) as { error?: { info?: Record<string, unknown> } };
  const { DeadLetterReason, DeadLetterErrorDescription, ...propertiesToModify } = state.error?.info ?? {};
  return {
    kind: 'deadLetter',
    reason: typeof DeadLetterReason === 'string' ? DeadLetterReason : undefined,
    description: typeof DeadLetterErrorDescription === 'string' ? DeadLetterErrorDescription : undefined,
    propertiesToModify: Object.keys(propertiesToModify).length > 0 ? propertiesToModify : undefined,
  };
}
