/** The Redis connection: one per process, failing fast when Redis is away instead of queueing. */
import { createClient } from 'redis';

function createRedisClient(url: string) {
  return createClient({
    url,
    // A command sent while disconnected fails at once (503 to the caller) rather than hanging.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 3_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 3_000),
    },
  });
}

export type RedisClient = ReturnType<typeof createRedisClient>;

export async function connectRedis(url: string, onError: (error: Error) => void = () => {}): Promise<RedisClient> {
  const client = createRedisClient(url);
  // node-redis emits 'error' on every failed reconnect; without a listener the process would crash.
  client.on('error', onError);
  await client.connect();
  return client;
}
