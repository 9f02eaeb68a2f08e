/** A Service Bus stand-in with the repo's topology, and a receiver to read what arrived. */
import { ServiceBusClient } from '@azure/service-bus';
import { loadTopology, startServiceBusStandIn, type ServiceBusStandIn } from '../../infra/servicebus/index.js';

export interface TestServiceBus {
  broker: ServiceBusStandIn;
  /** Messages waiting in a subscription of user-events. */
  waiting(subscription: string): number;
  /** Receives (and completes) everything in a subscription, waiting up to `ms` for the first. */
  drain(subscription: string, ms?: number): Promise<{ messageId: string; subject: string; body: unknown; eventType: unknown }[]>;
  stop(): Promise<void>;
}

export async function startTestServiceBus(port = 0): Promise<TestServiceBus> {
  const broker = await startServiceBusStandIn({ topology: loadTopology(), port });
  const client = new ServiceBusClient(broker.connectionString);
  return {
    broker,
    waiting: (subscription) => broker.stats().topics['user-events']?.subscriptions[subscription]?.active ?? 0,
    async drain(subscription, ms = 2_000) {
      const receiver = client.createReceiver('user-events', subscription);
      const out: { messageId: string; subject: string; body: unknown; eventType: unknown }[] = [];
      try {
        for (;;) {
          const batch = await receiver.receiveMessages(500, { maxWaitTimeInMs: out.length === 0 ? ms : 300 });
          if (batch.length === 0) break;
          for (const m of batch) {
            out.push({ messageId: String(m.messageId), subject: String(m.subject), body: m.body, eventType: m.applicationProperties?.['eventType'] });
            await receiver.completeMessage(m);
          }
        }
      } finally {
        await receiver.close();
      }
      return out;
    },
    async stop() {
      await client.close();
      await broker.close();
    },
  };
}
