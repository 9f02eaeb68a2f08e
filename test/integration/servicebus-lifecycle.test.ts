// Link hygiene and shutdown: drain replies, start-up log, closing with clients still attached.
import { ServiceBusClient } from '@azure/service-bus';
import rhea, { type EventContext } from 'rhea';
import { connect } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startServiceBusStandIn, type ServiceBusStandIn, type Topology } from '../../infra/servicebus/index.js';

const topology: Topology = { topics: [{ name: 'events', subscriptions: [{ name: 'all' }] }], queues: [{ name: 'work' }] };
const cleanup: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function started(log?: (line: string) => void): Promise<ServiceBusStandIn> {
  const standIn = await startServiceBusStandIn({ topology, ...(log ? { log } : {}) });
  cleanup.push(() => standIn.close());
  return standIn;
}

describe('Service Bus stand-in lifecycle', () => {
  it('answers drain requests, so partial receives keep their link', async () => {
    const lines: string[] = [];
    const standIn = await started((line) => lines.push(line));
    const client = new ServiceBusClient(standIn.connectionString);
    cleanup.push(() => client.close());
    await client.createSender('work').sendMessages({ body: 'only one' });

    const receiver = client.createReceiver('work');
    // Asking for more than is there makes the SDK drain its leftover credit; an unanswered drain closes the link.
    const startedAt = Date.now();
    const first = await receiver.receiveMessages(3, { maxWaitTimeInMs: 2_000 });
    const second = await receiver.receiveMessages(3, { maxWaitTimeInMs: 300 });
    expect(first.map((m) => m.body)).toEqual(['only one']);
    expect(second).toEqual([]);
    expect(Date.now() - startedAt).toBeLessThan(2_500);
    expect(lines.filter((line) => line.startsWith('receiver attached to work'))).toHaveLength(1);
    await receiver.completeMessage(first[0]!);
    expect(standIn.stats().queues['work']).toMatchObject({ active: 0, locked: 0 });
  });

  it('answers a drain even when the last credit went to a delivery', async () => {
    const standIn = await started();
    const client = new ServiceBusClient(standIn.connectionString);
    cleanup.push(() => client.close());
    await client.createSender('work').sendMessages({ body: 'exactly one' });

    // Plain rhea, to send a drain flow whose single credit the broker spends on the one message.
    const connection = rhea.create_container().connect({ host: '127.0.0.1', port: standIn.port, reconnect: false });
    cleanup.push(async () => connection.close());
    const receiver = connection.open_receiver({ source: { address: 'work' }, credit_window: 0, autoaccept: false, rcv_settle_mode: 1 });
    const bodies: unknown[] = [];
    receiver.on('message', (context: EventContext) => bodies.push(context.message?.body));
    const drained = new Promise<number>((resolve) => receiver.once('receiver_drained', () => resolve(bodies.length)));
    receiver.once('receiver_open', () => {
      receiver.drain = true;
      receiver.add_credit(1);
    });
    const noReply = setTimeout(3_000).then(() => 'no drain reply within 3 s');
    expect(await Promise.race([drained, noReply])).toBe(1);
    expect(bodies).toHaveLength(1);
  });

  it('logs where it listens and what it serves', async () => {
    const lines: string[] = [];
    const standIn = await started((line) => lines.push(line));
    expect(lines).toEqual([`Service Bus stand-in listening on 127.0.0.1:${standIn.port}`, '  topic events → all', '  queue work']);
    expect(standIn.connectionString).toBe(
      `Endpoint=sb://127.0.0.1:${standIn.port};SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true`,
    );
  });

  it('closes connections of clients still attached', async () => {
    const standIn = await started();
    const client = new ServiceBusClient(standIn.connectionString, { retryOptions: { maxRetries: 0 } });
    await client.createSender('events').sendMessages({ body: 'x' });
    const [message] = await client.createReceiver('events', 'all').receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(message?.body).toBe('x');

    const startedAt = Date.now();
    await standIn.close();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(await refusesConnections(standIn.port)).toBe(true);
    await client.close();
  });
});
