// Sending, routing and receiving against the repository's real infra/topology.json.
import { ServiceBusClient, type ServiceBusReceiver, type ServiceBusSender } from '@azure/service-bus';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTopology, MAX_MESSAGE_SIZE_BYTES, startServiceBusStandIn, type ServiceBusStandIn } from '../../infra/servicebus/index.js';

let standIn: ServiceBusStandIn;
let client: ServiceBusClient;
let sender: ServiceBusSender;
let audit: ServiceBusReceiver;
let presence: ServiceBusReceiver;

beforeAll(async () => {
  standIn = await startServiceBusStandIn({ topology: loadTopology() });
  client = new ServiceBusClient(standIn.connectionString);
  sender = client.createSender('user-events');
  audit = client.createReceiver('user-events', 'audit');
  presence = client.createReceiver('user-events', 'presence');
});

afterAll(async () => {
  await client?.close();
  await standIn?.close();
});

function counts(subscription: 'audit' | 'presence'): { active: number; locked: number; deadLetter: number } {
  const stats = standIn.stats().topics['user-events']?.subscriptions[subscription];
  if (!stats) throw new Error(`no stats for ${subscription}`);
  return { active: stats.active, locked: stats.locked, deadLetter: stats.deadLetter };
}

const empty = { active: 0, locked: 0, deadLetter: 0 };

// Every test consumes what it sends, so each starts from empty subscriptions.
afterEach(() => {
  expect(counts('audit')).toEqual(empty);
  expect(counts('presence')).toEqual(empty);
});

describe('Service Bus stand-in with the repository topology', () => {
  it('delivers a sent message to a peek-lock receiver and forgets it once completed', async () => {
    await sender.sendMessages({ body: { userId: 'u-1', action: 'viewProfile' }, subject: 'userActivity', messageId: 'single-1' });
    expect(counts('audit')).toEqual({ active: 1, locked: 0, deadLetter: 0 });

    const [message, ...more] = await audit.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(more).toHaveLength(0);
    expect(message?.body).toEqual({ userId: 'u-1', action: 'viewProfile' });
    expect(message?.messageId).toBe('single-1');
    expect(message?.deliveryCount).toBe(0);
    expect(message?.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(message?.lockedUntilUtc?.getTime()).toBeGreaterThan(Date.now() + 50_000); // lockDuration PT1M
    expect(message?.enqueuedTimeUtc?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(counts('audit')).toEqual({ active: 0, locked: 1, deadLetter: 0 });

    await audit.completeMessage(message!);
    expect(counts('audit')).toEqual(empty);
    expect(await audit.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  });

  it('fans out to every subscription whose correlation filter matches the subject', async () => {
    await sender.sendMessages([
      { body: 'activity', subject: 'userActivity', messageId: 'route-activity' },
      { body: 'login', subject: 'userLogin', messageId: 'route-login' },
    ]);
    expect(counts('audit').active).toBe(2);
    expect(counts('presence').active).toBe(1);

    const audited = await audit.receiveMessages(2, { maxWaitTimeInMs: 5_000 });
    expect(audited.map((m) => m.subject)).toEqual(['userActivity', 'userLogin']);
    const present = await presence.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(present.map((m) => [m.subject, m.body])).toEqual([['userLogin', 'login']]);
    // Each subscription holds its own copy: same message id, separate locks.
    expect(present[0]?.messageId).toBe(audited[1]?.messageId);
    expect(present[0]?.lockToken).not.toBe(audited[1]?.lockToken);

    for (const m of audited) await audit.completeMessage(m);
    await presence.completeMessage(present[0]!);
  });

  it('accepts a batch up to the advertised size and delivers every message in it', async () => {
    const batch = await sender.createMessageBatch();
    expect(batch.maxSizeInBytes).toBe(MAX_MESSAGE_SIZE_BYTES);
    for (let i = 0; i < 5; i++) {
      expect(batch.tryAddMessage({ body: { n: i }, subject: 'userActivity', messageId: `batch-${i}` })).toBe(true);
    }
    expect(batch.tryAddMessage({ body: Buffer.alloc(MAX_MESSAGE_SIZE_BYTES) })).toBe(false);
    expect(batch.count).toBe(5);
    await sender.sendMessages(batch);

    const received = await audit.receiveMessages(5, { maxWaitTimeInMs: 5_000 });
    expect(received.map((m) => m.body)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
    const sequenceNumbers = received.map((m) => m.sequenceNumber!.toNumber());
    expect(sequenceNumbers).toEqual([...sequenceNumbers].sort((a, b) => a - b));
    expect(new Set(sequenceNumbers).size).toBe(5);
    for (const m of received) await audit.completeMessage(m);
  });

  it('round-trips properties, application properties and bodies exactly', async () => {
    const applicationProperties = { text: 'héllo', count: 42, negative: -7, ratio: 0.25, flag: true, big: 2 ** 40 };
    await sender.sendMessages([
      {
        body: { nested: { list: [1, 'two', null] }, unicode: '✓' },
        subject: 'userLogin',
        contentType: 'application/json',
        correlationId: 'corr-42',
        messageId: 'props-json',
        to: 'someone',
        replyTo: 'reply-queue',
        timeToLive: 3_600_000,
        applicationProperties,
      },
      { body: Buffer.from([0, 1, 2, 253, 254, 255]), subject: 'userActivity', contentType: 'application/octet-stream', messageId: 'props-binary' },
    ]);

    const [json, binary] = await audit.receiveMessages(2, { maxWaitTimeInMs: 5_000 });
    expect(json).toMatchObject({
      body: { nested: { list: [1, 'two', null] }, unicode: '✓' },
      subject: 'userLogin',
      contentType: 'application/json',
      correlationId: 'corr-42',
      messageId: 'props-json',
      to: 'someone',
      replyTo: 'reply-queue',
      timeToLive: 3_600_000,
      applicationProperties,
    });
    expect(json?.expiresAtUtc?.getTime()).toBe(json!.enqueuedTimeUtc!.getTime() + 3_600_000);
    expect(Buffer.isBuffer(binary?.body)).toBe(true);
    expect([...(binary?.body as Buffer)]).toEqual([0, 1, 2, 253, 254, 255]);
    expect(binary?.contentType).toBe('application/octet-stream');

    const [login] = await presence.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(login?.applicationProperties).toEqual(applicationProperties);
    for (const m of [json!, binary!]) await audit.completeMessage(m);
    await presence.completeMessage(login!);
  });

  it('assigns a message id when the sender sets none', async () => {
    await sender.sendMessages({ body: 'anonymous', subject: 'userActivity' });
    const [message] = await audit.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(message?.messageId).toMatch(/^[0-9a-f]{32}$/);
    await audit.completeMessage(message!);
  });

  it('drops a message whose id was already seen within the duplicate detection window', async () => {
    await sender.sendMessages({ body: 'first', subject: 'userActivity', messageId: 'dup-1' });
    await sender.sendMessages({ body: 'second', subject: 'userActivity', messageId: 'dup-1' });
    await sender.sendMessages({ body: 'other', subject: 'userActivity', messageId: 'dup-2' });
    expect(counts('audit').active).toBe(2);

    const received = await audit.receiveMessages(3, { maxWaitTimeInMs: 1_500 });
    expect(received.map((m) => [m.messageId, m.body])).toEqual([
      ['dup-1', 'first'],
      ['dup-2', 'other'],
    ]);
    for (const m of received) await audit.completeMessage(m);
  });

  it('peeks without locking, continuing from the last peeked message', async () => {
    await sender.sendMessages(['p1', 'p2', 'p3'].map((body) => ({ body, subject: 'userActivity', messageId: `peek-${body}` })));
    const peeker = client.createReceiver('user-events', 'audit');
    const firstTwo = await peeker.peekMessages(2);
    expect(firstTwo.map((m) => m.body)).toEqual(['p1', 'p2']);
    expect(firstTwo[0]?.lockToken).toBeUndefined();
    expect(firstTwo[0]?.sequenceNumber?.toNumber()).toBeGreaterThan(0);
    expect((await peeker.peekMessages(5)).map((m) => m.body)).toEqual(['p3']);
    expect(await peeker.peekMessages(5)).toEqual([]);
    expect(counts('audit')).toEqual({ active: 3, locked: 0, deadLetter: 0 });
    await peeker.close();

    const received = await audit.receiveMessages(3, { maxWaitTimeInMs: 5_000 });
    const [locked] = await client.createReceiver('user-events', 'audit').peekMessages(1, { fromSequenceNumber: received[0]!.sequenceNumber! });
    expect(locked?.lockedUntilUtc?.getTime()).toBe(received[0]?.lockedUntilUtc?.getTime());
    for (const m of received) await audit.completeMessage(m);
  });

  it('rejects a message larger than the size limit', async () => {
    const error = await sender.sendMessages({ body: Buffer.alloc(MAX_MESSAGE_SIZE_BYTES + 1) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MessageSizeExceeded' });
  });

  it('reports MessagingEntityNotFound for an unknown topic or subscription', async () => {
    const unknownTopic = client.createSender('no-such-topic');
    await expect(unknownTopic.sendMessages({ body: 'x' })).rejects.toMatchObject({ code: 'MessagingEntityNotFound' });
    const unknownSubscription = client.createReceiver('user-events', 'no-such-subscription');
    await expect(unknownSubscription.receiveMessages(1, { maxWaitTimeInMs: 1_000 })).rejects.toMatchObject({ code: 'MessagingEntityNotFound' });
    const toSubscription = client.createSender('user-events/Subscriptions/audit');
    await expect(toSubscription.sendMessages({ body: 'x' })).rejects.toMatchObject({ code: 'MessagingEntityNotFound' });
    await Promise.all([unknownTopic.close(), unknownSubscription.close(), toSubscription.close()]);
  });

  it('keeps streaming to one peek-lock receiver past 2,048 deliveries (the session buffer frees as messages settle)', async () => {
    const total = 3_000;
    let batch = await sender.createMessageBatch();
    for (let i = 0; i < total; i++) {
      const message = { body: { i }, messageId: `stream-${i}`, subject: 'userActivity' };
      if (!batch.tryAddMessage(message)) {
        await sender.sendMessages(batch);
        batch = await sender.createMessageBatch();
        batch.tryAddMessage(message);
      }
    }
    await sender.sendMessages(batch);
    const receiver = client.createReceiver('user-events', 'audit');
    const seen = new Set<number>();
    await new Promise<void>((resolve, reject) => {
      const subscription = receiver.subscribe(
        {
          processMessage: async (message) => {
            seen.add((message.body as { i: number }).i);
            if (seen.size === total) void subscription.close().then(resolve);
          },
          processError: async (args) => reject(args.error),
        },
        { maxConcurrentCalls: 32 },
      );
    });
    await receiver.close();
    expect(seen.size).toBe(total);
  });

  it('resolves entity names case-insensitively', async () => {
    await client.createSender('User-Events').sendMessages({ body: 'shouting', subject: 'USERACTIVITY' });
    const [message] = await client.createReceiver('USER-EVENTS', 'Audit').receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(message?.body).toBe('shouting');
    // Filters compare values exactly, so the upper-case subject matched no presence rule.
    expect(counts('presence').active).toBe(0);
    await audit.completeMessage(message!);
  });
});
