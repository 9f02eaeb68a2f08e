/** Live matches in Redis: one JSON value per match with the TTL, and an "ended" marker after the result. */
import type { LiveMatch, LiveMatchStore } from '../../core/matches/ports.js';
import type { RedisClient } from './client.js';
import { LuaScript } from './lua.js';

const ENDED = 'ended';

// Check and write in one step: an update racing the result never revives an ended match.
const PUT = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current == '${ENDED}' then return '${ENDED}' end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if current then return 'updated' end
return 'created'
`);

export class RedisLiveMatches implements LiveMatchStore {
  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly keyPrefix: string,
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}match:${id}`;
  }

  async get(id: string): Promise<LiveMatch | 'ended' | null> {
    const value = await (await this.redis()).get(this.key(id));
    if (value === null) return null;
    return value === ENDED ? ENDED : (JSON.parse(value) as LiveMatch);
  }

  async put(match: LiveMatch, ttlSeconds: number): Promise<'created' | 'updated' | 'ended'> {
    return (await PUT.run(await this.redis(), [this.key(match.id)], [JSON.stringify(match), ttlSeconds])) as 'created' | 'updated' | 'ended';
  }

  async end(id: string, ttlSeconds: number): Promise<void> {
    await (await this.redis()).set(this.key(id), ENDED, { EX: ttlSeconds });
  }
}
