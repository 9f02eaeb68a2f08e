// Alone in its file so no other test's connections or timers blur the picture.
import { ServiceBusClient } from '@azure/service-bus';
import { createHook } from 'node:async_hooks';
import { connect } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startServiceBusStandIn } from '../../infra/servicebus/index.js';

/** Sockets and listeners keeping the event loop alive: what would stop the test process from exiting. */
function liveSockets(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPServerWrap' || kind === 'TCPSocketWrap') counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Timers created from now on that are still pending and referenced (process-wide counts would also see vitest's own). */
function trackTimers(): { pending(): number; stop(): void } {
  const timers = new Map<number, { hasRef(): boolean }>();
  const hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (type === 'Timeout') timers.set(id, resource as { hasRef(): boolean });
    },
    destroy: (id) => timers.delete(id),
  }).enable();
  return { pending: () => [...timers.values()].filter((timer) => timer.hasRef()).length, stop: () => hook.disable() };
}

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

describe('Service Bus stand-in shutdown', () => {
  it('leaves nothing running after close(), even with a message locked and another waiting', async () => {
    const socketsBefore = liveSockets();
    const timers = trackTimers();
    const standIn = await startServiceBusStandIn({ topology: { topics: [{ name: 'events', subscriptions: [{ name: 'all', lockDuration: 'PT1M' }] }] } });
    const client = new ServiceBusClient(standIn.connectionString);
    await client.createSender('events').sendMessages([{ body: 'locked' }, { body: 'waiting', timeToLive: 60_000 }]);
    const [locked] = await client.createReceiver('events', 'all').receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(locked?.body).toBe('locked');
    // The listener, both ends of the connection, the lock timer and the TTL sweeper are live now.
    expect(liveSockets()).not.toEqual(socketsBefore);
    expect(timers.pending()).toBeGreaterThanOrEqual(2);

    await client.close();
    await standIn.close();
    await standIn.close(); // idempotent
    for (let i = 0; i < 5; i++) await nextTurn();
    timers.stop();
    expect(liveSockets()).toEqual(socketsBefore);
    expect(timers.pending()).toBe(0);
    expect(await refusesConnections(standIn.port)).toBe(true);
  });
});
