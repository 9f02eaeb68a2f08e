import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../../functions/adapters/redis/client.js';
import { RedisRateLimiter } from '../../functions/adapters/redis/rate-limiter.js';
import { deleteRedisKeys } from '../../infra/local/spawn-stack.js';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `test:rl:${randomBytes(4).toString('hex')}:`;
let client: RedisClient | undefined;
const redis = async () => (client ??= await connectRedis(url));
afterAll(async () => {
  await deleteRedisKeys(url, prefix);
  await client?.close();
});

describe('RedisRateLimiter', () => {
  const limit = { name: 'test', max: 3, windowSeconds: 60 };

  it('allows up to max events per window and then says how long to wait', async () => {
    const limiter = new RedisRateLimiter(redis, prefix);
    const states = [];
    for (let i = 0; i < 5; i++) states.push(await limiter.consume(limit, 'k1'));
    expect(states.map((s) => s.allowed)).toEqual([true, true, true, false, false]);
    expect(states[4]?.count).toBe(5);
    expect(states[4]?.retryAfterSeconds).toBeGreaterThan(55);
    expect(states[4]?.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('checks without counting, and resets', async () => {
    const limiter = new RedisRateLimiter(redis, prefix);
    expect(await limiter.check(limit, 'k2')).toEqual({ count: 0, allowed: true, retryAfterSeconds: 0 });
    for (let i = 0; i < 4; i++) await limiter.consume(limit, 'k2');
    expect((await limiter.check(limit, 'k2')).allowed).toBe(false);
    expect((await limiter.check(limit, 'k2')).count).toBe(4);
    await limiter.reset(limit, 'k2');
    expect((await limiter.check(limit, 'k2')).count).toBe(0);
  });

  it('releases one count, keeping the window, and never goes below zero or leaves a key without expiry', async () => {
    const limiter = new RedisRateLimiter(redis, prefix);
    for (let i = 0; i < 3; i++) await limiter.consume(limit, 'k4');
    await limiter.release(limit, 'k4');
    const after = await limiter.check(limit, 'k4');
    expect(after.count).toBe(2);
    expect(after.retryAfterSeconds).toBeGreaterThan(55);
    await limiter.release(limit, 'k5');
    expect(await (await redis()).exists(`${prefix}rl:test:k5`)).toBe(0);
  });

  it('starts a new window when the old one expires', async () => {
    const limiter = new RedisRateLimiter(redis, prefix);
    const short = { name: 'short', max: 1, windowSeconds: 1 };
    expect((await limiter.consume(short, 'k3')).allowed).toBe(true);
    expect((await limiter.consume(short, 'k3')).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await limiter.consume(short, 'k3')).allowed).toBe(true);
  });

  it('keeps keys apart by limit name and key', async () => {
    const limiter = new RedisRateLimiter(redis, prefix);
    await limiter.consume({ ...limit, name: 'a' }, 'same');
    expect((await limiter.check({ ...limit, name: 'b' }, 'same')).count).toBe(0);
    expect((await limiter.check({ ...limit, name: 'a' }, 'other')).count).toBe(0);
  });
});
