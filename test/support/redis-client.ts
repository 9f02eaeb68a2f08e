/** A Redis connection and a key prefix of its own for an integration test file, cleaned up after. */
import { randomBytes } from 'node:crypto';
import { connectRedis, type RedisClient } from '../../functions/adapters/redis/client.js';
import { deleteRedisKeys } from '../../infra/local/spawn-stack.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  prefix: string;
  get: () => Promise<RedisClient>;
  stop(): Promise<void>;
}

export function testRedis(label: string): TestRedis {
  const prefix = `test:${label}:${randomBytes(4).toString('hex')}:`;
  let client: Promise<RedisClient> | undefined;
  return {
    prefix,
    get: () => (client ??= connectRedis(REDIS_URL)),
    async stop() {
      await deleteRedisKeys(REDIS_URL, prefix);
      const c = await client;
      await c?.close();
    },
  };
}
