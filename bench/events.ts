/**
 * Events end to end: activities synced from the buffer become userActivity events that travel
 * through the Service Bus stand-in to the audit subscriber, which writes each to Cosmos; events/s
 * is counted from the sync's start until the audit container holds them all. Next to it, the
 * stand-in's own ceiling: raw batched send and subscribe() through the SDK, in the same run.
 */
import { randomUUID } from 'node:crypto';
import { ServiceBusClient, type ServiceBusMessage } from '@azure/service-bus';
import { RedisActivityBuffer } from '../functions/adapters/redis/activity-buffer.js';
import { bufferBacklog } from './activity-counts.js';
import { connectRedis } from '../functions/adapters/redis/client.js';
import type { Activity } from '../functions/core/activity/ports.js';
import { startStack } from '../infra/local/spawn-stack.js';
import { loadTopology, startServiceBusStandIn } from '../infra/servicebus/index.js';
import { activityEventId } from '../functions/core/events/events.js';
import { countExisting, runFunction, stackCosmos } from './stack-services.js';
import { machine, options, round } from './support.js';

const args = options('Usage: npm run bench:events -- [options]', {
  events: { default: '20000', help: 'events to push through' },
  users: { default: '500', help: 'distinct players' },
});

/** The broker alone: send in batches, receive with subscribe() (peek-lock, auto-complete). */
async function rawCeiling(count: number): Promise<{ send: number; receive: number }> {
  const broker = await startServiceBusStandIn({ topology: loadTopology() });
  const client = new ServiceBusClient(broker.connectionString);
  try {
    const sender = client.createSender('user-events');
    const body = { userId: randomUUID(), activity: 'kill', details: { score: 1 }, timestamp: new Date().toISOString() };
    const sendStart = performance.now();
    let batch = await sender.createMessageBatch();
    for (let i = 0; i < count; i++) {
      const message: ServiceBusMessage = { body, messageId: randomUUID(), subject: 'userActivity', applicationProperties: { eventType: 'userActivity' } };
      if (!batch.tryAddMessage(message)) {
        await sender.sendMessages(batch);
        batch = await sender.createMessageBatch();
        batch.tryAddMessage(message);
      }
    }
    await sender.sendMessages(batch);
    const send = count / ((performance.now() - sendStart) / 1000);
    const receiver = client.createReceiver('user-events', 'audit');
    const receiveStart = performance.now();
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      const sub = receiver.subscribe(
        {
          processMessage: async () => {
            if (++received === count) {
              void sub.close();
              resolve();
            }
          },
          processError: async (e) => reject(e.error),
        },
        { maxConcurrentCalls: 64 },
      );
    });
    const receive = count / ((performance.now() - receiveStart) / 1000);
    await receiver.close();
    await sender.close();
    return { send, receive };
  } finally {
    await client.close();
    await broker.close();
  }
}

const stack = await startStack({ label: 'bench-events', env: { ACTIVITY_SYNC_SCHEDULE: '0 0 0 1 1 *', ACTIVITY_SYNC_TIME_BUDGET_SECONDS: '600' } });
const redis = await connectRedis(stack.redisUrl);
const cosmos = await stackCosmos(stack);
try {
  const raw = await rawCeiling(args.events);
  const buffer = new RedisActivityBuffer(async () => redis, stack.keyPrefix, 100_000_000);
  const users = Array.from({ length: args.users }, () => randomUUID());
  const now = new Date().toISOString();
  // Each activity's event id is derived from it, so the audit documents to expect are known.
  const expected: { id: string; partition: string }[] = [];
  for (let start = 0; start < args.events; start += 1000) {
    const items: Activity[] = [];
    for (let i = start; i < Math.min(start + 1000, args.events); i++) {
      const userId = users[i % users.length] ?? '';
      items.push({ id: `e-${i}`, userId, activity: 'kill', details: { score: i % 97 }, timestamp: now, receivedAt: now });
      expected.push({ id: activityEventId(userId, `e-${i}`), partition: userId });
    }
    await buffer.append(items);
  }
  const started = performance.now();
  while ((await bufferBacklog(async () => redis, stack.keyPrefix)) > 0) await runFunction(stack, 'syncActivity');
  const synced = (performance.now() - started) / 1000;
  // Wait for the last ones first (cheap), then check every one.
  const last = expected.slice(-50);
  while ((await countExisting(cosmos, 'audit', last)) < last.length) {
    await new Promise((r) => setTimeout(r, 250));
    if (performance.now() - started > 600_000) throw new Error(`the events did not reach the audit container in 10 minutes`);
  }
  let audited = await countExisting(cosmos, 'audit', expected);
  while (audited < args.events) {
    await new Promise((r) => setTimeout(r, 500));
    audited = await countExisting(cosmos, 'audit', expected);
    if (performance.now() - started > 600_000) throw new Error(`only ${audited} of ${args.events} events reached the audit container in 10 minutes`);
  }
  const total = (performance.now() - started) / 1000;
  console.log(`machine:         ${machine()}`);
  console.log(`broker ceiling:  send ${round(raw.send)} msg/s (batched), receive ${round(raw.receive)} msg/s (subscribe, 64 concurrent), ${args.events} messages`);
  console.log(`end to end:      ${args.events} activities synced in ${round(synced, 1)} s; all ${args.events} userActivity events in the audit container after ${round(total, 1)} s = ${round(args.events / total)} events/s`);
} finally {
  cosmos.client.dispose();
  redis.destroy();
  await stack.stop();
}
