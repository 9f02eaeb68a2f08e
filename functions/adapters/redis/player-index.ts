/**
 * Player search in Redis: one sorted set whose members are "<lower-case username> <username>
 * <user id>", all at score 0, so ZRANGE BYLEX over [prefix, prefix + 0xff] is a prefix search in
 * O(log n + page), answered from the members alone. Only searchable players are in it. Usernames
 * are [A-Za-z0-9_.-], all above the space that separates the parts, so "abc" sorts before "abcd".
 * The index is rebuilt from the users container by POST /api/admin/players/reindex (README).
 */
import { normalizeUsername } from '../../core/accounts/users.js';
import type { PlayerIndex, PlayerRef } from '../../core/social/ports.js';
import type { RedisClient } from './client.js';

export function indexMember(player: PlayerRef): string {
  return `${normalizeUsername(player.username)} ${player.username} ${player.id}`;
}

function fromMember(member: string): PlayerRef {
  const [, username = '', id = ''] = member.split(' ');
  return { id, username };
}

export class RedisPlayerIndex implements PlayerIndex {
  readonly key: string;

  constructor(
    private readonly redis: () => Promise<RedisClient>,
    prefix: string,
  ) {
    this.key = `${prefix}players:by-name`;
  }

  async add(players: PlayerRef[]): Promise<void> {
    if (players.length === 0) return;
    await (await this.redis()).zAdd(this.key, players.map((p) => ({ score: 0, value: indexMember(p) })));
  }

  async remove(players: PlayerRef[]): Promise<void> {
    if (players.length === 0) return;
    await (await this.redis()).zRem(this.key, players.map(indexMember));
  }

  async range(prefix: string, limit: number, after: string | undefined) {
    const client = await this.redis();
    const min = after === undefined ? `[${prefix}` : `(${after}`;
    const found = await client.zRange(this.key, min, `[${prefix}\xff`, { BY: 'LEX', LIMIT: { offset: 0, count: limit } });
    return { players: found.map(fromMember), positions: found };
  }
}
