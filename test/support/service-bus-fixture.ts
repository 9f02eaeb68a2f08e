/** The Service Bus side of the host fixture app (test/fixtures/host-app): its topology, broker and settings. */
import { startServiceBusStandIn, type ServiceBusStandIn, type Topology } from '../../infra/servicebus/index.js';

export const FIXTURE_TOPOLOGY: Topology = {
  topics: [{ name: 'fixture-events', subscriptions: [{ name: 'audit', maxDeliveryCount: 5, lockDuration: 'PT30S' }] }],
  queues: [
    { name: 'fixture-flaky', maxDeliveryCount: 3, lockDuration: 'PT30S' },
    // A one-second lock: a run longer than that completes only if the host renews the lock.
    { name: 'fixture-slow', maxDeliveryCount: 5, lockDuration: 'PT1S' },
    { name: 'fixture-batch', maxDeliveryCount: 5, lockDuration: 'PT30S' },
  ],
};

/** Starts a broker with the fixture topology and points the fixture app's settings at it. */
export async function startFixtureBroker(): Promise<ServiceBusStandIn> {
  const broker = await startServiceBusStandIn({ topology: FIXTURE_TOPOLOGY });
  process.env['FixtureServiceBus'] = broker.connectionString;
  process.env['FIXTURE_TOPIC'] = 'fixture-events';
  return broker;
}
