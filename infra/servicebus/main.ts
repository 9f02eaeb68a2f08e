// Runs the Service Bus stand-in on its own: node dist/infra/servicebus/main.js --port 5672 --topology infra/topology.json
import { parseArgs } from 'node:util';
import { loadTopology, startServiceBusStandIn } from './index.js';

const USAGE = `Usage: node dist/infra/servicebus/main.js [--port 5672] [--host 127.0.0.1] [--topology infra/topology.json] [--quiet]

Starts a local Service Bus (AMQP 1.0, plain TCP) for the @azure/service-bus SDK and prints its connection string.
  --port      TCP port to listen on; 0 picks a free one (default 5672)
  --host      address to bind (default 127.0.0.1)
  --topology  topics/subscriptions/queues file (default: infra/topology.json in the repository)
  --quiet     only print the connection string and errors
Stops cleanly on SIGINT/SIGTERM.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5672' },
      host: { type: 'string', default: '127.0.0.1' },
      topology: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be an integer between 0 and 65535 (got "${values.port}")`);
  const log = values.quiet ? undefined : (line: string): void => console.log(`[servicebus] ${line}`);
  const standIn = await startServiceBusStandIn({ port, host: values.host, topology: loadTopology(values.topology), log });
  console.log(standIn.connectionString);
  const stop = (signal: string): void => {
    log?.(`${signal} received, stopping`);
    // No process.exit: once closed nothing is left running, so the process ends by itself.
    standIn.close().catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
