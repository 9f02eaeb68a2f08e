/**
 * The ingest bench's baseline: a bare node:http server, in a process of its own like the app's
 * host, that parses the JSON body and appends each item with XADD (one item: one command; a batch:
 * one pipeline of one XADD per item) through the same Redis client library, answering 202 like the
 * app. What the endpoint would cost with nothing but HTTP, JSON and Redis in the way.
 *
 * Forked by bench/ingest.ts with the Redis URL and stream key; it tells the parent its port over IPC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';

const [url, key] = process.argv.slice(2);
if (!url || !key) throw new Error('usage: ingest-baseline.js <redis-url> <stream-key>');

const client = createClient({ url });
await client.connect();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        const items = Array.isArray(body) ? body : [body];
        if (items.length === 1) {
          await client.xAdd(key, '*', { a: JSON.stringify(items[0]) });
        } else {
          const batch = client.multi();
          for (const item of items) batch.xAdd(key, '*', { a: JSON.stringify(item) });
          await batch.execAsPipeline();
        }
        response.writeHead(202, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify({ accepted: items.length, rejected: [] }));
      } catch (error) {
        response.writeHead(500).end(String(error));
      }
    })();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));

process.on('disconnect', () => {
  server.close();
  server.closeAllConnections();
  void client.close().finally(() => process.exit(0));
});
