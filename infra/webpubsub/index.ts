/**
 * A local Azure Web PubSub stand-in: the data-plane REST API for WebPubSubServiceClient, the
 * client WebSocket endpoint, and upstream event-handler calls, on one HTTP port. See README.md.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { clientEndpoint } from './client.js';
import { closeConnection, describe, Hubs, type ConnectionInfo } from './hub.js';
import { handleRest } from './rest.js';
import { Upstream } from './upstream.js';

export { signature } from './upstream.js';

export interface WebPubSubStandInOptions {
  /** 0 (default) picks a free port; it is kept across stop()/start(). */
  port?: number;
  /** The access key; default: random per run. */
  accessKey?: string;
  /** Event handler URL template (`{hub}`, `{event}` replaced); none: connects are accepted as they come, events dropped. */
  upstream?: string;
  /** Budget of one event-handler call (default 20 s). */
  upstreamTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface WebPubSubStandIn {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  accessKey: string;
  /** `Endpoint=http://127.0.0.1;Port=PORT;AccessKey=KEY;Version=1.0;` (the SDK needs allowInsecureConnection). */
  connectionString: string;
  /** Live connections, of one hub or all. */
  connections(hub?: string): ConnectionInfo[];
  /** Groups of a connection ([] when unknown). */
  groupsOf(connectionId: string): string[];
  /** Closes every client (1012, service restart) and the listener; state is kept, connections are gone. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Points events at another handler URL template (validated again), or at none. */
  setUpstream(urlTemplate: string | undefined): void;
}

export async function startWebPubSubStandIn(options: WebPubSubStandInOptions = {}): Promise<WebPubSubStandIn> {
  const accessKey = options.accessKey ?? randomBytes(32).toString('base64');
  const log = options.log ?? (() => undefined);
  const hubs = new Hubs();
  let port = options.port ?? 0;
  let server: Server | undefined;
  let endpoint = '';
  const sockets = new Set<Socket>();
  const upstreamOf = (urlTemplate: string | undefined) =>
    urlTemplate ? new Upstream({ urlTemplate, accessKey, origin: '127.0.0.1', timeoutMs: options.upstreamTimeoutMs }) : null;
  let upstream = upstreamOf(options.upstream);
  const clients = clientEndpoint({ hubs, accessKey, upstream: () => upstream, log });

  async function start(): Promise<void> {
    if (server) return;
    const http = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path.startsWith('/api/hubs/')) {
        handleRest(req, res, { hubs, accessKey, endpoint }).catch((error: unknown) => {
          log(`REST ${req.method} ${path} failed: ${String(error)}`);
          if (!res.headersSent) res.writeHead(500).end();
        });
      } else if (path === '/api/health') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        res.writeHead(404).end();
      }
    });
    http.on('upgrade', (req, socket, head) => {
      clients.upgrade(req, socket, head).catch((error: unknown) => {
        log(`upgrade failed: ${String(error)}`);
        socket.destroy();
      });
    });
    http.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => resolve());
    });
    port = (http.address() as AddressInfo).port;
    endpoint = `http://127.0.0.1:${port}`;
    server = http;
  }

  async function stop(): Promise<void> {
    const http = server;
    if (!http) return;
    server = undefined;
    for (const connection of [...hubs.connections.values()]) closeConnection(connection, 'service stopped', 1012);
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    // Give close frames a moment to leave, then drop whatever is still open.
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const socket of sockets) socket.destroy();
    http.closeAllConnections();
    // A destroyed socket's close event (which forgets its connection) may come later on a busy machine.
    for (const connection of [...hubs.connections.values()]) hubs.remove(connection);
    await closed;
  }

  await start();
  return {
    get endpoint() {
      return endpoint;
    },
    get port() {
      return port;
    },
    accessKey,
    get connectionString() {
      return `Endpoint=http://127.0.0.1;Port=${port};AccessKey=${accessKey};Version=1.0;`;
    },
    connections: (hub) => (hub === undefined ? [...hubs.connections.values()] : hubs.inHub(hub)).map(describe),
    groupsOf: (connectionId) => [...(hubs.connections.get(connectionId)?.groups ?? [])].sort(),
    stop,
    start,
    setUpstream: (urlTemplate) => {
      upstream = upstreamOf(urlTemplate);
    },
  };
}
