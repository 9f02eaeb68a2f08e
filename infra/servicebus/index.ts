import { once } from 'node:events';
import type { AddressInfo, Server, Socket } from 'node:net';
import rhea, { type Connection, type EventContext } from 'rhea';
import { Broker, type BrokerStats } from './broker.js';
import { LinkHandler } from './links.js';
import type { Topology } from './topology.js';

export { loadTopology, validateTopology, TopologyError } from './topology.js';
export type { Topology, TopicDefinition, SubscriptionDefinition, QueueDefinition, RuleDefinition, CorrelationFilter, SqlFilter } from './topology.js';
export type { BrokerStats, EntityStats } from './broker.js';
export { MAX_MESSAGE_SIZE_BYTES } from './links.js';

export interface ServiceBusStandIn {
  port: number;
  /** Plain-TCP connection string the @azure/service-bus SDK accepts (`UseDevelopmentEmulator=true`). */
  connectionString: string;
  /** Closes the listener and every connection, and stops all timers. */
  close(): Promise<void>;
  /** Message counts per entity, for tests and diagnostics. */
  stats(): BrokerStats;
}

export interface ServiceBusStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  topology: Topology;
  log?: (line: string) => void;
}

/** How often expired messages are swept out (dead-lettered or dropped). */
const SWEEP_INTERVAL_MS = 1_000;
/** How long close() lets clients answer the AMQP close before their sockets are destroyed. */
const CLOSE_GRACE_MS = 250;

/** A wildcard listen address is not something a client can dial. */
const clientHost = (host: string): string => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

export async function startServiceBusStandIn(options: ServiceBusStandInOptions): Promise<ServiceBusStandIn> {
  const log = options.log ?? ((): void => {});
  const host = options.host ?? '127.0.0.1';
  const broker = new Broker(options.topology, log);
  // autoaccept off: the broker decides per delivery (accept, reject oversize). Modified stays distinct from released.
  // A larger outgoing session buffer: a peek-locked delivery holds its place until settled, and the
  // buffer frees only from its oldest entry, so one long-running handler must not stall the link.
  const container = rhea.create_container({
    id: 'servicebus-standin',
    autoaccept: false,
    treat_modified_as_released: false,
    session_buffer_size: { outgoing: 65_536, incoming: 2_048 },
  } as Parameters<typeof rhea.create_container>[0]);
  new LinkHandler(broker, log).attach(container);

  const connections = new Set<Connection>();
  container.on('connection_open', (context: EventContext) => connections.add(context.connection));
  container.on('connection_close', (context: EventContext) => connections.delete(context.connection));
  container.on('disconnected', (context: EventContext) => connections.delete(context.connection));

  const server: Server = container.listen({ port: options.port ?? 0, host });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const port = (server.address() as AddressInfo).port;
  const sweeper = setInterval(() => broker.sweep(), SWEEP_INTERVAL_MS);
  log(`Service Bus stand-in listening on ${host}:${port}`);
  for (const line of broker.describe()) log(`  ${line}`);

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    clearInterval(sweeper);
    broker.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of connections) {
      if (connection.is_open()) connection.close({ condition: 'amqp:connection:forced', description: 'The Service Bus stand-in is shutting down.' });
    }
    if (sockets.size > 0) await new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS));
    for (const socket of sockets) socket.destroy();
    await closed;
    log('Service Bus stand-in stopped');
  };

  return {
    port,
    connectionString: `Endpoint=sb://${clientHost(host)}:${port};SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true`,
    close: () => (closing ??= close()),
    stats: () => broker.stats(),
  };
}
