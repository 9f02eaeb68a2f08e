// Peek-lock settlement, dead-lettering, locks and expiry, each scenario on its own topic of a custom topology.
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceBusStandIn, type ServiceBusStandIn, type SubscriptionDefinition, type TopicDefinition, type Topology } from '../../infra/servicebus/index.js';

/** A topic with one subscription, `worker`, for one scenario. */
const worker = (topic: string, settings: Partial<SubscriptionDefinition> = {}): TopicDefinition => ({
  name: topic,
  subscriptions: [{ name: 'worker', maxDeliveryCount: 3, lockDuration: 'PT30S', ...settings }],
});

const topology: Topology = {
  topics: [
    worker('abandon'),
    worker('max-delivery'),
    worker('dead-letter'),
    worker('lock-expiry', { lockDuration: 'PT1S', maxDeliveryCount: 5 }),
    worker('renewal', { lockDuration: 'PT1S' }),
    worker('auto-renewal', { lockDuration: 'PT1S' }),
    worker('streaming'),
    worker('deferral'),
    worker('late-settle'),
    worker('scheduled'),
    {
      name: 'ttl',
      defaultMessageTimeToLive: 'PT1H',
      subscriptions: [
        { name: 'keep', deadLetteringOnMessageExpiration: true },
        { name: 'drop', deadLetteringOnMessageExpiration: false },
      ],
    },
    {
      name: 'routing',
      subscriptions: [
        { name: 'all', rules: [{ name: 'everything', sqlFilter: { sqlExpression: '1=1' } }] },
        { name: 'none', rules: [{ name: 'nothing', sqlFilter: { sqlExpression: '1=0' } }] },
        { name: 'tenant-a', rules: [{ name: 'tenant', correlationFilter: { properties: { tenant: 'a', priority: 2 } } }] },
      ],
    },
  ],
  queues: [{ name: 'jobs', lockDuration: 'PT30S' }],
};

let standIn: ServiceBusStandIn;
let client: ServiceBusClient;

beforeAll(async () => {
  standIn = await startServiceBusStandIn({ topology });
  client = new ServiceBusClient(standIn.connectionString);
});

afterAll(async () => {
  await client?.close();
  await standIn?.close();
});

function stats(topic: string, subscription = 'worker'): { active: number; locked: number; deferred: number; deadLetter: number } {
  const found = standIn.stats().topics[topic]?.subscriptions[subscription];
  if (!found) throw new Error(`no stats for ${topic}/${subscription}`);
  return found;
}

async function send(topic: string, ...bodies: string[]): Promise<void> {
  await client.createSender(topic).sendMessages(bodies.map((body) => ({ body, messageId: `${topic}-${body}` })));
}

async function receiveOne(topic: string, options: { subscription?: string; deadLetter?: boolean } = {}): Promise<ServiceBusReceivedMessage> {
  const receiver = client.createReceiver(topic, options.subscription ?? 'worker', options.deadLetter ? { subQueueType: 'deadLetter' } : {});
  const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
  if (!message) throw new Error(`nothing to receive from ${topic}`);
  return message;
}

/** Waits until `check` stops throwing (for effects of timers in the broker). */
async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

describe('settlement', () => {
  it('redelivers an abandoned message with its delivery count incremented', async () => {
    await send('abandon', 'a1');
    const receiver = client.createReceiver('abandon', 'worker');
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(first?.deliveryCount).toBe(0);
    await receiver.abandonMessage(first!, { lastError: 'timeout' });
    expect(stats('abandon')).toMatchObject({ active: 1, locked: 0 });

    const [second] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(second?.messageId).toBe('abandon-a1');
    expect(second?.deliveryCount).toBe(1);
    expect(second?.applicationProperties).toEqual({ lastError: 'timeout' });
    expect(second?.sequenceNumber?.toNumber()).toBe(first?.sequenceNumber?.toNumber());
    expect(second?.lockToken).not.toBe(first?.lockToken);
    await receiver.completeMessage(second!);
    expect(stats('abandon')).toMatchObject({ active: 0, locked: 0, deadLetter: 0 });
  });

  it('dead-letters a message abandoned maxDeliveryCount times', async () => {
    await send('max-delivery', 'm1');
    const receiver = client.createReceiver('max-delivery', 'worker');
    for (let attempt = 0; attempt < 3; attempt++) {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
      expect(message?.deliveryCount).toBe(attempt);
      await receiver.abandonMessage(message!);
    }
    expect(stats('max-delivery')).toMatchObject({ active: 0, locked: 0, deadLetter: 1 });
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);

    const dead = await receiveOne('max-delivery', { deadLetter: true });
    expect(dead.messageId).toBe('max-delivery-m1');
    expect(dead.deadLetterReason).toBe('MaxDeliveryCountExceeded');
    expect(dead.deadLetterErrorDescription).toBe('Message could not be consumed after 3 delivery attempts.');
  });

  it('dead-letters explicitly with the given reason and description', async () => {
    await client.createSender('dead-letter').sendMessages({ body: { userId: null }, messageId: 'dl-1', applicationProperties: { source: 'test' } });
    const receiver = client.createReceiver('dead-letter', 'worker');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    await receiver.deadLetterMessage(message!, { deadLetterReason: 'BadPayload', deadLetterErrorDescription: 'userId is missing' });
    expect(stats('dead-letter')).toMatchObject({ active: 0, locked: 0, deadLetter: 1 });

    const deadLetters = client.createReceiver('dead-letter', 'worker', { subQueueType: 'deadLetter' });
    const [dead] = await deadLetters.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(dead).toMatchObject({ messageId: 'dl-1', body: { userId: null }, deadLetterReason: 'BadPayload', deadLetterErrorDescription: 'userId is missing' });
    expect(dead?.applicationProperties).toEqual({ source: 'test', DeadLetterReason: 'BadPayload', DeadLetterErrorDescription: 'userId is missing' });
    await deadLetters.completeMessage(dead!);
    expect(stats('dead-letter').deadLetter).toBe(0);
  });

  it('makes a message available again when its lock expires, and refuses the stale lock', async () => {
    await send('lock-expiry', 'e1');
    // The SDK renews locks of received messages on its own (for five minutes by default); turn that off to let one lapse.
    const receiver = client.createReceiver('lock-expiry', 'worker', { maxAutoLockRenewalDurationInMs: 0 });
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(first!.lockedUntilUtc!.getTime() - Date.now()).toBeLessThanOrEqual(1_000);
    await eventually(() => expect(stats('lock-expiry')).toMatchObject({ active: 1, locked: 0 }));

    const [second] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(second?.messageId).toBe('lock-expiry-e1');
    expect(second?.deliveryCount).toBe(1);
    await expect(receiver.completeMessage(first!)).rejects.toMatchObject({ code: 'MessageLockLost' });
    await receiver.completeMessage(second!);
    expect(stats('lock-expiry')).toMatchObject({ active: 0, locked: 0 });
  });

  it('keeps a lock alive with renewMessageLock', async () => {
    await send('renewal', 'r1');
    const receiver = client.createReceiver('renewal', 'worker', { maxAutoLockRenewalDurationInMs: 0 });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    const original = message!.lockedUntilUtc!.getTime();
    for (let i = 0; i < 3; i++) {
      await sleep(500);
      const renewed = await receiver.renewMessageLock(message!);
      expect(renewed.getTime()).toBeGreaterThan(original);
      expect(message!.lockedUntilUtc?.getTime()).toBe(renewed.getTime());
    }
    // 1.5 s in, well past the original one-second lock, the message is still ours.
    expect(Date.now()).toBeGreaterThan(original);
    expect(stats('renewal')).toMatchObject({ active: 0, locked: 1 });
    await receiver.completeMessage(message!);
    expect(stats('renewal')).toMatchObject({ active: 0, locked: 0, deadLetter: 0 });
  });

  it('settles through $management once the receiving link is gone', async () => {
    await send('late-settle', 'l1');
    const first = client.createReceiver('late-settle', 'worker');
    const [message] = await first.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    await first.close();
    expect(stats('late-settle').locked).toBe(1);
    await client.createReceiver('late-settle', 'worker').completeMessage(message!);
    expect(stats('late-settle')).toMatchObject({ active: 0, locked: 0 });
  });

  it('defers a message and hands it out again by sequence number', async () => {
    await send('deferral', 'd1');
    const receiver = client.createReceiver('deferral', 'worker');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    await receiver.deferMessage(message!);
    expect(stats('deferral')).toMatchObject({ active: 0, locked: 0, deferred: 1 });
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    const [peeked] = await receiver.peekMessages(1);
    expect(peeked?.state).toBe('deferred');

    const [deferred] = await receiver.receiveDeferredMessages(message!.sequenceNumber!);
    expect(deferred?.messageId).toBe('deferral-d1');
    expect(deferred?.state).toBe('deferred');
    await receiver.completeMessage(deferred!);
    expect(stats('deferral')).toMatchObject({ active: 0, locked: 0, deferred: 0 });
  });
});

describe('streaming', () => {
  it('delivers to a subscribe() handler and auto-completes', async () => {
    await send('streaming', 's1', 's2', 's3');
    const receiver = client.createReceiver('streaming', 'worker');
    const bodies: unknown[] = [];
    const errors: unknown[] = [];
    const subscription = receiver.subscribe({
      processMessage: async (message) => {
        bodies.push(message.body);
      },
      processError: async ({ error }) => {
        errors.push(error);
      },
    });
    await eventually(() => expect(bodies).toEqual(['s1', 's2', 's3']));
    await eventually(() => expect(stats('streaming')).toMatchObject({ active: 0, locked: 0 }));
    await subscription.close();
    expect(errors).toEqual([]);
  });

  it('renews locks automatically while a slow handler runs', async () => {
    await send('auto-renewal', 'slow');
    const receiver = client.createReceiver('auto-renewal', 'worker');
    const seen: number[] = [];
    const errors: unknown[] = [];
    const subscription = receiver.subscribe({
      processMessage: async (message) => {
        seen.push(message.deliveryCount ?? -1);
        await sleep(2_200); // more than two lock durations
      },
      processError: async ({ error }) => {
        errors.push(error);
      },
    });
    await eventually(() => expect(stats('auto-renewal')).toMatchObject({ active: 0, locked: 0, deadLetter: 0 }), 8_000);
    await subscription.close();
    expect(seen).toEqual([0]);
    expect(errors).toEqual([]);
  });
});

describe('timing and routing', () => {
  it('holds scheduled messages until their enqueue time, and cancels them', async () => {
    const sender = client.createSender('scheduled');
    const dueAt = new Date(Date.now() + 700);
    const [sequenceNumber] = await sender.scheduleMessages({ body: 'later', messageId: 'sched-1' }, dueAt);
    const [cancelled] = await sender.scheduleMessages({ body: 'never' }, new Date(Date.now() + 60_000));
    await sender.sendMessages({ body: 'via property', scheduledEnqueueTimeUtc: new Date(Date.now() + 700) });
    expect(standIn.stats().topics['scheduled']?.scheduled).toBe(3);
    await sender.cancelScheduledMessages(cancelled!);
    expect(standIn.stats().topics['scheduled']?.scheduled).toBe(2);
    expect(stats('scheduled').active).toBe(0);

    await eventually(() => expect(stats('scheduled').active).toBe(2));
    const received = await client.createReceiver('scheduled', 'worker').receiveMessages(2, { maxWaitTimeInMs: 5_000 });
    expect(received.map((m) => m.body)).toEqual(['later', 'via property']);
    expect(received[0]?.sequenceNumber?.toNumber()).toBe(sequenceNumber?.toNumber());
    expect(received[0]?.scheduledEnqueueTimeUtc?.getTime()).toBe(dueAt.getTime());
    expect(received[0]!.enqueuedTimeUtc!.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(standIn.stats().topics['scheduled']?.scheduled).toBe(0);
  });


  it('dead-letters or drops a message whose time to live passes, per subscription', async () => {
    await client.createSender('ttl').sendMessages({ body: 'short-lived', messageId: 'ttl-1', timeToLive: 200 });
    expect(stats('ttl', 'keep').active).toBe(1);
    await eventually(() => {
      expect(stats('ttl', 'keep')).toMatchObject({ active: 0, deadLetter: 1 });
      expect(stats('ttl', 'drop')).toMatchObject({ active: 0, deadLetter: 0 });
    });
    const dead = await receiveOne('ttl', { subscription: 'keep', deadLetter: true });
    expect(dead).toMatchObject({ messageId: 'ttl-1', deadLetterReason: 'TTLExpiredException' });
  });

  it('routes by trivial SQL filters and correlation filter properties', async () => {
    const sender = client.createSender('routing');
    await sender.sendMessages([
      { body: 'match', applicationProperties: { tenant: 'a', priority: 2 } },
      { body: 'wrong-type', applicationProperties: { tenant: 'a', priority: '2' } },
    ]);
    expect(stats('routing', 'all').active).toBe(2);
    expect(stats('routing', 'none').active).toBe(0);
    expect(stats('routing', 'tenant-a').active).toBe(1);
    expect((await receiveOne('routing', { subscription: 'tenant-a' })).body).toBe('match');
  });

  it('serves queues, including receiveAndDelete mode', async () => {
    await client.createSender('jobs').sendMessages([{ body: 'job-1' }, { body: 'job-2' }]);
    const receiver = client.createReceiver('jobs', { receiveMode: 'receiveAndDelete' });
    const received = await receiver.receiveMessages(2, { maxWaitTimeInMs: 5_000 });
    expect(received.map((m) => m.body)).toEqual(['job-1', 'job-2']);
    expect(received[0]?.lockToken).toBeUndefined();
    expect(standIn.stats().queues['jobs']).toMatchObject({ active: 0, locked: 0 });
  });
});
