/**
 * The activity buffer: a Redis Stream read by a consumer group. An entry stays pending until the
 * sync acknowledges it (after Cosmos has it), so a sync that dies midway leaves its entries for the
 * next run to reclaim. Acknowledged entries are deleted, so the stream's length is the backlog.
 * Each user's latest items are also kept in a short list, for reads before the next sync.
 */
import { hostname } from 'node:os';
import type { Activity, ActivityBuffer } from '../../core/activity/ports.js';
import type { BufferedActivity, SyncBuffer, SyncLock } from '../../core/activity/sync.js';
import { DomainError } from '../../core/kernel/errors.js';
import type { RedisClient } from './client.js';
import { LuaScript } from './lua.js';

const GROUP = 'sync';
/** Enough for a page of history; older items are in Cosmos by the time anyone pages that far. */
const RECENT_PER_USER = 50;
const RECENT_TTL_SECONDS = 3600;

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Appends a batch in one call: the backlog check, an entry per activity, and each player's short
 * recent list. One command instead of hundreds keeps the client's per-command cost off the hot
 * path, and the check and the append cannot interleave with another batch.
 *
 * The items arrive grouped by player (ARGV: player, how many, their items; the next player...), so
 * each player's list takes one RPUSH and one EXPIRE however many items they have. A list is trimmed
 * back to `keep` only once it holds twice that (readers take the last `keep`): one LTRIM per `keep`
 * pushes instead of one per batch. Pushing at the tail also spares Redis moving the list's node on
 * every push, as pushing at the head does.
 */
const APPEND = new LuaScript(`
local stream, recentPrefix = KEYS[1], ARGV[1]
local maxBacklog, keep, ttl, count = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if redis.call('XLEN', stream) + count > maxBacklog then return -1 end
local i = 6
while i <= #ARGV do
  local list, first, last = recentPrefix .. ARGV[i], i + 2, i + 1 + tonumber(ARGV[i + 1])
  for j = first, last do redis.call('XADD', stream, '*', 'a', ARGV[j]) end
  if redis.call('RPUSH', list, unpack(ARGV, first, last)) > 2 * keep then redis.call('LTRIM', list, -keep, -1) end
  redis.call('EXPIRE', list, ttl)
  i = last + 1
end
return count
`);

const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** Stream ids ("ms-n") as fixed-width text, so buffer order and text order agree. */
export function seqOf(entryId: string): string {
  const [ms = '0', n = '0'] = entryId.split('-');
  return `${ms.padStart(15, '0')}-${n.padStart(10, '0')}`;
}

export function entryIdOf(seq: string): string {
  const [ms = '0', n = '0'] = seq.split('-');
  return `${BigInt(ms)}-${BigInt(n)}`;
}

function isActivity(value: unknown): value is Activity {
  const a = value as Partial<Activity> | null;
  return (
    typeof a === 'object' && a !== null && typeof a.id === 'string' && typeof a.userId === 'string' &&
    typeof a.activity === 'string' && typeof a.timestamp === 'string' && typeof a.receivedAt === 'string'
  );
}

/** The stream activities wait in until the sync acknowledges (and deletes) them. */
export function activityStreamKey(prefix: string): string {
  return `${prefix}activity:buffer`;
}

export class RedisActivityBuffer implements ActivityBuffer, SyncBuffer {
  private readonly stream: string;
  private readonly recentPrefix: string;
  private readonly lockKey: string;
  private readonly consumer = `${hostname()}-${process.pid}`;
  private groupReady = false;
  /** Where reclaiming pending entries continues; "0-0" again once they are all reclaimed. */
  private claimCursor: string | null = '0-0';

  constructor(
    private readonly redis: () => Promise<RedisClient>,
    prefix: string,
    private readonly maxBacklog: number,
  ) {
    this.stream = activityStreamKey(prefix);
    this.recentPrefix = `${prefix}activity:recent:`;
    this.lockKey = `${prefix}activity:sync-lock`;
  }

  private async ready(): Promise<RedisClient> {
    const client = await this.redis();
    if (!this.groupReady) {
      try {
        // From the start of the stream: entries added before the group existed are synced too.
        await client.xGroupCreate(this.stream, GROUP, '0', { MKSTREAM: true });
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
      }
      this.groupReady = true;
    }
    return client;
  }

  async append(items: Activity[]): Promise<void> {
    const client = await this.ready();
    const byUser = new Map<string, string[]>();
    for (const item of items) {
      const json = JSON.stringify(item);
      const list = byUser.get(item.userId);
      if (list) list.push(json);
      else byUser.set(item.userId, [json]);
    }
    const args: (string | number)[] = [this.recentPrefix, this.maxBacklog, RECENT_PER_USER, RECENT_TTL_SECONDS, items.length];
    for (const [userId, entries] of byUser) args.push(userId, entries.length, ...entries);
    if (Number(await APPEND.run(client, [this.stream], args)) < 0) {
      throw new DomainError('SERVICE_BUSY', 'The activity buffer is full while the sync catches up; retry shortly.', { retryAfterSeconds: 5 });
    }
  }

  async recent(userId: string): Promise<Activity[]> {
    const client = await this.redis();
    // The newest are at the tail; the list may hold up to twice as many until its next trim.
    const raw = await client.lRange(this.recentPrefix + userId, -RECENT_PER_USER, -1);
    // A resent id keeps its first copy, oldest first here, as Cosmos keeps the first write.
    const first = new Map<string, Activity>();
    for (const item of raw.map((text) => JSON.parse(text) as unknown).filter(isActivity)) if (!first.has(item.id)) first.set(item.id, item);
    return [...first.values()];
  }

  async lock(ttlMs: number): Promise<SyncLock | null> {
    const client = await this.ready();
    const token = `${this.consumer}-${Date.now()}-${Math.random()}`;
    const taken = await client.set(this.lockKey, token, { NX: true, PX: ttlMs });
    if (taken !== 'OK') return null;
    this.claimCursor = '0-0';
    return {
      extend: async () => Number(await EXTEND.run(await this.redis(), [this.lockKey], [token, ttlMs])) === 1,
      release: async () => {
        await RELEASE.run(await this.redis(), [this.lockKey], [token]);
      },
    };
  }

  async next(count: number): Promise<{ entries: BufferedActivity[]; unreadable: string[] }> {
    try {
      return await this.read(count);
    } catch (error) {
      // Redis came back empty (restart without persistence, failover): the stream and its group
      // are gone. Make them again and go on; what was buffered before the loss is lost.
      if (!(error instanceof Error) || !error.message.startsWith('NOGROUP')) throw error;
      this.groupReady = false;
      this.claimCursor = '0-0';
      return this.read(count);
    }
  }

  private async read(count: number): Promise<{ entries: BufferedActivity[]; unreadable: string[] }> {
    const client = await this.ready();
    let messages: { id: string; message: Record<string, string> }[] = [];
    // Pending entries first: a run that died left them unacknowledged. Only one sync runs at a
    // time (the lock), so anything pending now belongs to no live consumer.
    while (this.claimCursor !== null && messages.length === 0) {
      const claimed = await client.xAutoClaim(this.stream, GROUP, this.consumer, 0, this.claimCursor, { COUNT: count });
      messages = claimed.messages.filter((m): m is { id: string; message: Record<string, string> } => m !== null);
      this.claimCursor = claimed.nextId === '0-0' ? null : claimed.nextId;
    }
    if (messages.length === 0) {
      const read = await client.xReadGroup(GROUP, this.consumer, { key: this.stream, id: '>' }, { COUNT: count });
      messages = (read as { messages: { id: string; message: Record<string, string> }[] }[] | null)?.[0]?.messages ?? [];
    }
    const entries: BufferedActivity[] = [];
    const unreadable: string[] = [];
    for (const { id, message } of messages) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(message['a'] ?? 'null');
      } catch {
        parsed = null;
      }
      if (isActivity(parsed)) entries.push({ ...parsed, seq: seqOf(id) });
      else unreadable.push(seqOf(id));
    }
    return { entries, unreadable };
  }

  async acknowledge(seqs: string[]): Promise<void> {
    if (seqs.length === 0) return;
    const client = await this.redis();
    const ids = seqs.map(entryIdOf);
    await client.multi().xAck(this.stream, GROUP, ids).xDel(this.stream, ids).exec();
  }
}
