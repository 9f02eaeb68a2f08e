/**
 * The Redis read-through cache of public profiles: the public fields only, 5 minutes, one key per
 * user. One cache serves a profile read (one GET), a listing's usernames (one MGET per page) and
 * presence's check for users known not to exist; it is dropped on change, rename or deletion.
 */
import type { ProfileNames, PublicProfiles } from '../../core/accounts/ports.js';
import { toPublicUserView, type PublicUserView, type StoredUser } from '../../core/accounts/users.js';
import type { RedisClient } from './client.js';

interface Cached {
  profile: PublicUserView;
  etag: string | undefined;
}

/**
 * What a user's key is prefixed with. Its value is the cached JSON, or "" for a user the users
 * container does not have (deleted, or a bot's id): cached as well, so probing ids costs no reads.
 */
export function publicProfileKeyPrefix(keyPrefix: string): string {
  return `${keyPrefix}public-profile:`;
}

export const UNKNOWN_USER = '';
/**
 * "No such user" is remembered for less long than a profile: a read that raced a sign-up (or a
 * replica that lagged) must not hide a new player for minutes.
 */
const UNKNOWN_TTL_SECONDS = 30;

export class RedisPublicProfiles implements PublicProfiles, ProfileNames {
  private readonly keys: string;

  constructor(
    private readonly redis: () => Promise<RedisClient>,
    keyPrefix: string,
    private readonly users: { findById(id: string): Promise<StoredUser | null> },
    private readonly ttlSeconds = 300,
  ) {
    this.keys = publicProfileKeyPrefix(keyPrefix);
  }

  async get(userId: string): Promise<Cached | null> {
    const client = await this.redis();
    const cached = await client.get(this.keys + userId);
    if (cached === UNKNOWN_USER) return null;
    if (cached !== null) return JSON.parse(cached) as Cached;
    return this.readThrough(client, userId);
  }

  /** Usernames of these users, where they exist: one round trip for the whole list; only the misses go to Cosmos. */
  async usernames(userIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (userIds.length === 0) return names;
    const client = await this.redis();
    const cached = await client.mGet(userIds.map((id) => this.keys + id));
    const misses: string[] = [];
    userIds.forEach((id, i) => {
      const entry = cached[i];
      if (typeof entry !== 'string') misses.push(id);
      else if (entry !== UNKNOWN_USER) names.set(id, (JSON.parse(entry) as Cached).profile.username);
    });
    const found = await Promise.all(misses.map((id) => this.readThrough(client, id)));
    found.forEach((f, i) => {
      if (f) names.set(misses[i] as string, f.profile.username);
    });
    return names;
  }

  async invalidate(userId: string): Promise<void> {
    await (await this.redis()).del(this.keys + userId);
  }

  private async readThrough(client: RedisClient, userId: string): Promise<Cached | null> {
    const user = await this.users.findById(userId);
    const found = user === null ? null : { profile: toPublicUserView(user), etag: user.etag };
    await client.set(this.keys + userId, found === null ? UNKNOWN_USER : JSON.stringify(found), { EX: found === null ? Math.min(UNKNOWN_TTL_SECONDS, this.ttlSeconds) : this.ttlSeconds });
    return found;
  }
}
