/** The local stack's Service Bus: `npm start` brings the stand-in up with infra/topology.json, or uses ServiceBusConnection when set. */
import { ServiceBusClient } from '@azure/service-bus';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTopology, startServiceBusStandIn, type ServiceBusStandIn } from '../../infra/servicebus/index.js';
import { startStack, type Stack } from '../support/stack.js';

const stacks: Stack[] = [];
const brokers: ServiceBusStandIn[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
  await Promise.all(brokers.map((b) => b.close()));
});

/** These tests start a stack in their body: as long as a stack gets in a hook (hookTimeout), on a busy machine. */
const STACK_TEST_TIMEOUT_MS = 60_000;

describe('the local stack and Service Bus', () => {
  it('starts the Service Bus stand-in with the topology and gives the host its connection string', async () => {
    const stack = await startStack({ label: 'servicebus' });
    stacks.push(stack);
    expect(stack.serviceBusConnectionString).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:\d+;SharedAccessKeyName=\w+;SharedAccessKey=\w+;UseDevelopmentEmulator=true$/);
    const port = /:(\d+);/.exec(stack.serviceBusConnectionString)?.[1];
    expect(stack.output()).toContain(`servicebus: 127.0.0.1:${port} (in-memory stand-in, ServiceBusConnection)`);

    const client = new ServiceBusClient(stack.serviceBusConnectionString);
    try {
      const messageId = randomUUID();
      const sender = client.createSender('user-events');
      await sender.sendMessages({ messageId, subject: 'userLogin', body: { userId: 'e2e', timestamp: new Date().toISOString() } });
      await sender.close();
      // The message reaches the audit subscription: we receive it, unless one of the app's own
      // subscribers on `audit` took it first, which its host log line then shows.
      const receiver = client.createReceiver('user-events', 'audit');
      let seen = false;
      for (let i = 0; i < 20 && !seen; i++) {
        for (const message of await receiver.receiveMessages(10, { maxWaitTimeInMs: 500 })) {
          await receiver.completeMessage(message);
          if (message.messageId === messageId) {
            seen = true;
            expect(message.subject).toBe('userLogin');
            expect(message.body).toMatchObject({ userId: 'e2e' });
          }
        }
        seen ||= stack.output().includes(`message ${messageId} completed`);
      }
      await receiver.close();
      expect(seen).toBe(true);
    } finally {
      await client.close();
    }
  }, STACK_TEST_TIMEOUT_MS);

  it('uses ServiceBusConnection from the environment instead of starting its own broker', async () => {
    const broker = await startServiceBusStandIn({ topology: loadTopology() });
    brokers.push(broker);
    const stack = await startStack({ label: 'servicebus-external', env: { ServiceBusConnection: broker.connectionString } });
    stacks.push(stack);
    expect(stack.serviceBusConnectionString).toBe(broker.connectionString);
    expect(stack.output()).not.toContain('in-memory stand-in, ServiceBusConnection');
    expect((await fetch(`${stack.url}/admin/host/status`)).status).toBe(200);
  }, STACK_TEST_TIMEOUT_MS);
});
