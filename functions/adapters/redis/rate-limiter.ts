/**
 * Fixed-window counters in Redis: one INCR per event, the window's expiry set by the first. One
 * round trip per check, shared by every instance of the app.
 */
import type { RateLimit, RateLimiter, RateLimitState } from '../../core/kernel/rate-limits.js';
import type { RedisClient } from './client.js';
import { LuaScript } from './lua.js';

/** DECR only a live, positive counter: an expired window must not come back as -1 without a TTL. */
const RELEASE = new LuaScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`);

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly prefix: string,
  ) {}

  private key(limit: RateLimit, key: string): string {
    return `${this.prefix}rl:${limit.name}:${key}`;
  }

  async consume(limit: RateLimit, key: string): Promise<RateLimitState> {
    const client = await this.redis();
    const k = this.key(limit, key);
    const [count, , ttl] = (await client
      .multi()
      .incr(k)
      .expire(k, limit.windowSeconds, 'NX')
      .pTTL(k)
      .exec()) as unknown as [number, number, number];
    return state(limit, Number(count), Number(ttl));
  }

  async check(limit: RateLimit, key: string): Promise<RateLimitState> {
    const client = await this.redis();
    const k = this.key(limit, key);
    const [count, ttl] = (await client.multi().get(k).pTTL(k).exec()) as unknown as [string | null, number];
    return state(limit, Number(count ?? 0), Number(ttl));
  }

  async reset(limit: RateLimit, key: string): Promise<void> {
    const client = await this.redis();
    await client.del(this.key(limit, key));
  }

  async release(limit: RateLimit, key: string): Promise<void> {
    await RELEASE.run(await this.redis(), [this.key(limit, key)], []);
  }
}

function state(limit: RateLimit, count: number, ttlMs: number): RateLimitState {
  return {
    count,
    allowed: count <= limit.max,
    retryAfterSeconds: ttlMs > 0 ? Math.ceil(ttlMs / 1000) : count > 0 ? limit.windowSeconds : 0,
  };
}
