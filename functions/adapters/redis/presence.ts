/**
 * Presence in Redis: a sorted set of online users scored by last-seen time (so "who is online,
 * newest first" and "who went quiet" are range reads, never scans) and a hash per user. State
 * changes run as Lua scripts so a change is detected exactly once however many calls race.
 * The scripts touch several keys, so Redis must run non-clustered (see README, Deploy).
 */
import { invalidCursor } from '../../core/kernel/paging.js';
import type { PageRequest } from '../../core/kernel/paging.js';
import type { PresenceStatus } from '../../core/events/events.js';
import { isoFromEpochMs } from '../../core/kernel/clock.js';
import type { OnlinePage, OnlineUser, PresenceChange, PresenceStore, PresenceView, Sighting } from '../../core/presence/presence.js';
import type { RedisClient } from './client.js';
import { LuaScript } from './lua.js';
import { publicProfileKeyPrefix, UNKNOWN_USER } from './public-profiles.js';

/** A user's hash outlives their last sighting by this long, for "last seen" answers. */
const USER_TTL_SECONDS = 30 * 24 * 3600;

const SEEN = new LuaScript(`
local online, prefix, ttl = KEYS[1], ARGV[1], tonumber(ARGV[2])
local changes = {}
for i = 3, #ARGV, 5 do
  local user, at, username, activity, activityAt = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local h = prefix .. user
  local changedAt = tonumber(redis.call('HGET', h, 'changedAt') or '0')
  -- A sighting older than the last change (a logout, say) does not bring the user back.
  if at >= changedAt then
    local score = redis.call('ZSCORE', online, user)
    if not score then
      redis.call('ZADD', online, at, user)
      redis.call('HSET', h, 'status', 'online', 'changedAt', at)
      table.insert(changes, user)
      table.insert(changes, at)
    elseif at > tonumber(score) then
      redis.call('ZADD', online, at, user)
    end
    if at > tonumber(redis.call('HGET', h, 'lastSeenAt') or '0') then redis.call('HSET', h, 'lastSeenAt', at) end
  end
  if username ~= '' then redis.call('HSET', h, 'username', username) end
  if activity ~= '' then redis.call('HSET', h, 'activity', activity, 'activityAt', activityAt) end
  redis.call('EXPIRE', h, ttl)
end
return changes
`);

const SET = new LuaScript(`
local online, h = KEYS[1], KEYS[2]
local user, status, at, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local previous = 'offline'
local score = redis.call('ZSCORE', online, user)
if score then previous = redis.call('HGET', h, 'status') or 'online' end
if at < tonumber(redis.call('HGET', h, 'changedAt') or '0') then return {previous, previous} end
if status == 'offline' then
  redis.call('ZREM', online, user)
else
  if not score or at > tonumber(score) then redis.call('ZADD', online, at, user) end
  if at > tonumber(redis.call('HGET', h, 'lastSeenAt') or '0') then redis.call('HSET', h, 'lastSeenAt', at) end
end
if status ~= previous then redis.call('HSET', h, 'status', status, 'changedAt', at) end
redis.call('EXPIRE', h, ttl)
return {previous, status}
`);

const SWEEP = new LuaScript(`
local online, prefix, cutoff, at, limit = KEYS[1], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local stale = redis.call('ZRANGEBYSCORE', online, '-inf', cutoff, 'LIMIT', 0, limit)
local changes = {}
for _, user in ipairs(stale) do
  local h = prefix .. user
  table.insert(changes, user)
  table.insert(changes, redis.call('HGET', h, 'status') or 'online')
  redis.call('ZREM', online, user)
  redis.call('HSET', h, 'status', 'offline', 'changedAt', at)
end
return changes
`);

/**
 * A page of who is online in one round trip: the range read, each player's status and username,
 * and for a player presence has no name for, whether the public-profile cache already knows no
 * such user exists (its "" entry). Per player: id, score, status, username, 1 when unknown.
 */
const PAGE = new LuaScript(`
local online, prefix, profiles = KEYS[1], ARGV[1], ARGV[2]
local entries = redis.call('ZRANGE', online, ARGV[3], '-inf', 'BYSCORE', 'REV', 'LIMIT', ARGV[4], ARGV[5], 'WITHSCORES')
local reply = {}
for i = 1, #entries, 2 do
  local user = entries[i]
  local fields = redis.call('HMGET', prefix .. user, 'status', 'username')
  local unknown = 0
  if not fields[2] and redis.call('GET', profiles .. user) == '${UNKNOWN_USER}' then unknown = 1 end
  reply[#reply + 1] = user
  reply[#reply + 1] = entries[i + 1]
  reply[#reply + 1] = fields[1] or 'online'
  reply[#reply + 1] = fields[2] or ''
  reply[#reply + 1] = unknown
end
return reply
`);

function iso(ms: string | undefined): string | null {
  return ms ? new Date(Number(ms)).toISOString() : null;
}

/** The sorted set of online players by last-seen time. */
export function presenceOnlineKey(prefix: string): string {
  return `${prefix}presence:online`;
}

export class RedisPresenceStore implements PresenceStore {
  private readonly onlineKey: string;
  private readonly userPrefix: string;
  private readonly profilePrefix: string;

  constructor(
    private readonly redis: () => Promise<RedisClient>,
    prefix: string,
  ) {
    this.onlineKey = presenceOnlineKey(prefix);
    this.userPrefix = `${prefix}presence:user:`;
    this.profilePrefix = publicProfileKeyPrefix(prefix);
  }

  async seen(sightings: Sighting[]): Promise<PresenceChange[]> {
    const args: (string | number)[] = [this.userPrefix, USER_TTL_SECONDS];
    for (const s of sightings) args.push(s.userId, s.at, s.username ?? '', s.activity?.name ?? '', s.activity?.at ?? '');
    const reply = (await SEEN.run(await this.redis(), [this.onlineKey], args)) as (string | number)[];
    const changes: PresenceChange[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      changes.push({ userId: String(reply[i]), previousStatus: 'offline', newStatus: 'online', at: Number(reply[i + 1]) });
    }
    return changes;
  }

  async set(userId: string, status: PresenceStatus, at: number): Promise<PresenceChange | null> {
    const [previous, next] = (await SET.run(await this.redis(), [this.onlineKey, this.userPrefix + userId], [userId, status, at, USER_TTL_SECONDS])) as [
      PresenceStatus,
      PresenceStatus,
    ];
    return previous === next ? null : { userId, previousStatus: previous, newStatus: next, at };
  }

  async get(userId: string): Promise<PresenceView> {
    const client = await this.redis();
    const [fields, score] = (await client.multi().hGetAll(this.userPrefix + userId).zScore(this.onlineKey, userId).exec()) as unknown as [
      Record<string, string>,
      number | null,
    ];
    const view: PresenceView = {
      userId,
      status: score === null ? 'offline' : ((fields['status'] as PresenceStatus | undefined) ?? 'online'),
      lastSeenAt: iso(fields['lastSeenAt']),
    };
    if (fields['activity'] && fields['activityAt']) view.activity = { name: fields['activity'], at: fields['activityAt'] };
    return view;
  }

  async sweep(cutoff: number, at: number, limit: number): Promise<PresenceChange[]> {
    const reply = (await SWEEP.run(await this.redis(), [this.onlineKey], [this.userPrefix, cutoff, at, limit])) as string[];
    const changes: PresenceChange[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      changes.push({ userId: String(reply[i]), previousStatus: reply[i + 1] as PresenceStatus, newStatus: 'offline', at });
    }
    return changes;
  }

  /**
   * Newest first. The cursor is a position in the order itself (the last score shown and how many
   * with that score were shown), not an offset: players seen again move to the front and players
   * who go offline leave without shifting the pages still to come. Only a tie (same millisecond)
   * that changes under the reader can shift by its own size.
   */
  async online(page: PageRequest): Promise<OnlinePage> {
    const after = page.cursor ? decodePosition(page.cursor) : { score: '+inf', skip: 0 };
    const reply = (await PAGE.run(
      await this.redis(),
      [this.onlineKey],
      [this.userPrefix, this.profilePrefix, after.score, after.skip, page.limit + 1],
    )) as (string | number)[];
    const items: OnlineUser[] = [];
    const scores: number[] = [];
    const unnamed: string[] = [];
    const shown = Math.min(page.limit, reply.length / 5);
    for (let i = 0; i < shown * 5; i += 5) {
      const userId = reply[i] as string;
      const score = Number(reply[i + 1]);
      const username = (reply[i + 3] as string) || null;
      if (username === null && reply[i + 4] === 0) unnamed.push(userId);
      scores.push(score);
      items.push({ userId, username, status: reply[i + 2] as PresenceStatus, lastSeenAt: isoFromEpochMs(score) });
    }
    const last = scores.at(-1);
    return { items, cursor: reply.length / 5 > page.limit && last !== undefined ? encodePosition(after, scores, last) : null, unnamed };
  }

  async rememberUsernames(names: Map<string, string>): Promise<void> {
    if (names.size === 0) return;
    const client = await this.redis();
    const batch = client.multi();
    for (const [userId, username] of names) batch.hSet(this.userPrefix + userId, 'username', username);
    await batch.exec();
  }

  async forgetUsername(userId: string): Promise<void> {
    await (await this.redis()).hDel(this.userPrefix + userId, 'username');
  }
}

interface Position {
  /** Scores at or below this one are still to come... */
  score: string;
  /** ...except this many with exactly this score, already shown. */
  skip: number;
}

function encodePosition(after: Position, scores: number[], lastScore: number): string {
  const ties = scores.filter((score) => score === lastScore).length;
  const skip = String(lastScore) === after.score ? after.skip + ties : ties;
  return Buffer.from(`p:${lastScore}:${skip}`).toString('base64url');
}

function decodePosition(cursor: string): Position {
  const match = /^p:(\d{1,16}):(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1] || !match[2]) {
    throw invalidCursor();
  }
  return { score: match[1], skip: Number(match[2]) };
}
