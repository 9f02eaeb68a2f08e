/**
 * Player search in Redis: one sorted set whose members are "<lower-case username> <user id>", all
 * with score 0, so ZRANGE BYLEX over [prefix, prefix + 0xff] is a prefix search in O(log n + page).
 * Only searchable players are in it. Usernames are [A-Za-z0-9_.-], all above the space that
 * separates name from id, so "abc" sorts before "abcd"; the index is rebuilt from the users
 * container by POST /api/admin/players/reindex (README, Player search).
 */
import { normalizeUsername } from '../../core/accounts/users.js';
import type { PlayerIndex, PlayerRef } from '../../core/social/ports.js';
import type { RedisClient } from './client.js';

function member(player: PlayerRef): string {
  return `${normalizeUsername(player.username)} ${player.id}`;
}

export class RedisPlayerIndex implements PlayerIndex {
  readonly key: string;
  /** Usernames as typed, by user id: the set holds them lower-cased. */
  private readonly namesKey: string;

  constructor(
    private readonly redis: () => Promise<RedisClient>,
    prefix: string,
  ) {
    this.key = `${prefix}players:by-name`;
    this.namesKey = `${prefix}players:names`;
  }

  async add(players: PlayerRef[]): Promise<void> {
    if (players.length === 0) return;
    const client = await this.redis();
    await client
      .multi()
      .zAdd(this.key, players.map((p) => ({ score: 0, value: member(p) })))
      .hSet(this.namesKey, Object.fromEntries(players.map((p) => [p.id, p.username])))
      .exec();
  }

  async remove(players: PlayerRef[]): Promise<void> {
    if (players.length === 0) return;
    const client = await this.redis();
    await client
      .multi()
      .zRem(this.key, players.map(member))
      .hDel(this.namesKey, players.map((p) => p.id))
      .exec();
  }

  async range(prefix: string, limit: number, after: string | undefined) {
    const client = await this.redis();
    const min = after === undefined ? `[${prefix}` : `(${after}`;
    const found = await client.zRange(this.key, min, `[${prefix}\xff`, { BY: 'LEX', LIMIT: { offset: 0, count: limit } });
    const ids = found.map((m) => m.slice(m.lastIndexOf(' ') + 1));
    const names = ids.length > 0 ? await client.hmGet(this.namesKey, ids) : [];
    return {
      players: found.map((m, i) => ({ id: ids[i] ?? '', username: names[i] ?? m.slice(0, m.lastIndexOf(' ')) })),
      positions: found,
    };
  }
}
