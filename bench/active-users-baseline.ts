/**
 * The active-users baseline, run in its own process by bench/active-users.ts: a bare node:http
 * server answering the first page of who is online with the same Redis work a page needs at least
 * (one ZRANGE BYSCORE REV LIMIT and a pipelined HMGET per player, through the same client) and a
 * JSON body of the same shape. No authentication, no functions host: the floor the app is held to.
 * Sends its port to the parent once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectRedis } from '../functions/adapters/redis/client.js';

const [redisUrl = 'redis://127.0.0.1:6379', prefix = ''] = process.argv.slice(2);
const onlineKey = `${prefix}presence:online`;
const userPrefix = `${prefix}presence:user:`;
const limit = 100;
const redis = await connectRedis(redisUrl);

const server = createServer((_request, response) => {
  void (async () => {
    const entries = await redis.zRangeWithScores(onlineKey, '+inf', '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: limit + 1 } });
    const shown = entries.slice(0, limit);
    const pipeline = redis.multi();
    for (const e of shown) pipeline.hmGet(userPrefix + e.value, ['status', 'username']);
    const details = (await pipeline.execAsPipeline()) as unknown as (string | null)[][];
    const body = JSON.stringify({
      items: shown.map((e, i) => ({ userId: e.value, username: details[i]?.[1] ?? null, status: details[i]?.[0] ?? 'online', lastSeenAt: new Date(e.score).toISOString() })),
      cursor: entries.length > limit ? `p:${shown.at(-1)?.score}:1` : null,
    });
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
  })().catch((error: unknown) => {
    response.writeHead(500).end(String(error));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => {
  server.close();
  server.closeAllConnections();
  redis.destroy();
  process.exit(0);
});
