// Runs the Web PubSub stand-in on its own: node dist/infra/webpubsub/main.js --port 0 --upstream http://127.0.0.1:7071/api/realtime/upstream
import { parseArgs } from 'node:util';
import { startWebPubSubStandIn } from './index.js';

const USAGE = `Usage: node dist/infra/webpubsub/main.js [--port 0] [--access-key KEY] [--upstream URL-TEMPLATE]

Starts a local Azure Web PubSub (REST for @azure/web-pubsub, client WebSockets) and prints its connection string.
  --port        HTTP port to listen on; 0 picks a free one (default 0)
  --access-key  the access key (default: random per run)
  --upstream    event handler URL; {hub} and {event} are replaced (default: none, events are dropped)
Stops cleanly on SIGINT/SIGTERM.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'access-key': { type: 'string' },
      upstream: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be an integer between 0 and 65535 (got "${values.port}")`);
  const standIn = await startWebPubSubStandIn({
    port,
    accessKey: values['access-key'],
    upstream: values.upstream,
    log: (line) => console.error(`[webpubsub] ${line}`),
  });
  console.log(standIn.connectionString);
  const stop = (): void => void standIn.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
