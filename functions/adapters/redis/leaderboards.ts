/**
 * The leaderboard index in Redis: per board and period a sorted set (the ranking) and a hash of
 * entries by user. Ties rank by who got there first: the member is "<time code>|<user>", and Redis
 * orders equal scores by member, so the time code makes the earlier one first in either direction.
 * The scripts touch two keys of one board, so Redis must run non-clustered (as presence needs).
 */
import { randomUUID } from 'node:crypto';
import type { BoardRef, LeaderboardEntry, LeaderboardIndex, RankedEntry } from '../../core/leaderboards/ports.js';
import type { RedisClient } from './client.js';
import { LuaScript } from './lua.js';

const PUT = new LuaScript(`
local z, h = KEYS[1], KEYS[2]
for i = 1, #ARGV, 5 do
  local user, score, member, version, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3]), ARGV[i + 4]
  local old = redis.call('HGET', h, user)
  local keep = false
  if old then
    local was = cjson.decode(old)
    if tonumber(was.version) >= version then keep = true
    elseif was.member ~= member then redis.call('ZREM', z, was.member) end
  end
  if not keep then
    redis.call('ZADD', z, score, member)
    redis.call('HSET', h, user, json)
  end
end
return 1
`);

const TOP = new LuaScript(`
local z, h = KEYS[1], KEYS[2]
local offset, limit, desc = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
local members
if desc then members = redis.call('ZREVRANGE', z, offset, offset + limit - 1) else members = redis.call('ZRANGE', z, offset, offset + limit - 1) end
local out = { redis.call('ZCARD', z) }
for _, m in ipairs(members) do table.insert(out, redis.call('HGET', h, string.sub(m, string.find(m, '|', 1, true) + 1)) or '') end
return out
`);

const AROUND = new LuaScript(`
local z, h = KEYS[1], KEYS[2]
local user, limit, desc = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1'
local json = redis.call('HGET', h, user)
if not json then return false end
local member = cjson.decode(json).member
local rank
if desc then rank = redis.call('ZREVRANK', z, member) else rank = redis.call('ZRANK', z, member) end
if not rank then return false end
local size = redis.call('ZCARD', z)
local start = math.max(0, rank - math.floor((limit - 1) / 2))
if start + limit > size then start = math.max(0, size - limit) end
local members
if desc then members = redis.call('ZREVRANGE', z, start, start + limit - 1) else members = redis.call('ZRANGE', z, start, start + limit - 1) end
local out = { start }
for _, m in ipairs(members) do table.insert(out, redis.call('HGET', h, string.sub(m, string.find(m, '|', 1, true) + 1)) or '') end
return out
`);

const RANK = new LuaScript(`
local z, h = KEYS[1], KEYS[2]
local json = redis.call('HGET', h, ARGV[1])
if not json then return false end
local member = cjson.decode(json).member
local rank
if ARGV[2] == '1' then rank = redis.call('ZREVRANK', z, member) else rank = redis.call('ZRANK', z, member) end
if not rank then return false end
return { rank, json }
`);

// 13 digits of milliseconds hold every time up to the year 2286.
const TIME_DIGITS = 13;
const LATEST = 10 ** TIME_DIGITS - 1;

/** Equal scores order by member: earlier must sort first ascending, and last in ZREVRANGE's reverse order. */
function memberOf(board: BoardRef, entry: LeaderboardEntry): string {
  const ms = Date.parse(entry.reachedAt);
  const code = board.sort === 'desc' ? LATEST - ms : ms;
  return `${String(code).padStart(TIME_DIGITS, '0')}|${entry.userId}`;
}

interface StoredJson extends LeaderboardEntry {
  member: string;
}

function parse(json: string): LeaderboardEntry | null {
  if (!json) return null;
  const { member: _member, ...entry } = JSON.parse(json) as StoredJson;
  return entry;
}

export class RedisLeaderboardIndex implements LeaderboardIndex {
  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly keyPrefix: string,
  ) {}

  private keys(board: BoardRef, period: string): [string, string] {
    const base = `${this.keyPrefix}lb:${board.id}:${period}`;
    return [base, `${base}:entries`];
  }

  private async putInto(client: RedisClient, keys: string[], board: BoardRef, entries: LeaderboardEntry[]): Promise<void> {
    // Scripts in slices, so one batch of 1,000 does not hold Redis for long.
    for (let start = 0; start < entries.length; start += 200) {
      const args = entries.slice(start, start + 200).flatMap((e) => {
        const member = memberOf(board, e);
        const json: StoredJson = { userId: e.userId, score: e.score, metadata: e.metadata, reachedAt: e.reachedAt, version: e.version, member };
        return [e.userId, String(e.score), member, String(e.version), JSON.stringify(json)];
      });
      await PUT.run(client, keys, args);
    }
  }

  async put(board: BoardRef, period: string, entries: LeaderboardEntry[]): Promise<void> {
    await this.putInto(await this.redis(), this.keys(board, period), board, entries);
  }

  async top(board: BoardRef, period: string, offset: number, limit: number): Promise<{ entries: RankedEntry[]; total: number }> {
    const [total, ...jsons] = (await TOP.run(await this.redis(), this.keys(board, period), [offset, limit, board.sort === 'desc' ? 1 : 0])) as [number, ...string[]];
    const entries = jsons.map((json, i) => ({ entry: parse(json), rank: offset + i + 1 }));
    return { total, entries: entries.filter((e) => e.entry !== null).map((e) => ({ ...(e.entry as LeaderboardEntry), rank: e.rank })) };
  }

  async around(board: BoardRef, period: string, userId: string, limit: number): Promise<RankedEntry[] | null> {
    const found = (await AROUND.run(await this.redis(), this.keys(board, period), [userId, limit, board.sort === 'desc' ? 1 : 0])) as [number, ...string[]] | null;
    if (!found) return null;
    const [start, ...jsons] = found;
    return jsons.flatMap((json, i) => {
      const entry = parse(json);
      return entry ? [{ ...entry, rank: start + i + 1 }] : [];
    });
  }

  async rankOf(board: BoardRef, period: string, userId: string): Promise<RankedEntry | null> {
    const found = (await RANK.run(await this.redis(), this.keys(board, period), [userId, board.sort === 'desc' ? 1 : 0])) as [number, string] | null;
    if (!found) return null;
    const entry = parse(found[1]);
    return entry ? { ...entry, rank: found[0] + 1 } : null;
  }

  async size(board: BoardRef, period: string): Promise<number> {
    return (await this.redis()).zCard(this.keys(board, period)[0]);
  }

  async replace(board: BoardRef, period: string, pages: AsyncIterable<LeaderboardEntry[]>): Promise<number> {
    const client = await this.redis();
    const [zset, hash] = this.keys(board, period);
    const staging = [`${zset}:rebuild:${randomUUID()}`, `${hash}:rebuild:${randomUUID()}`];
    let count = 0;
    try {
      for await (const page of pages) {
        await this.putInto(client, staging, board, page);
        count += page.length;
      }
      // Readers see the old index or the new one, never a half-built one.
      if (count === 0) await client.del([zset, hash]);
      else await client.multi().rename(staging[0] as string, zset).rename(staging[1] as string, hash).exec();
    } finally {
      await client.del(staging);
    }
    return count;
  }
}
