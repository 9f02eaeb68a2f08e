/** The Redis read-through cache of public profiles: the public fields only, 5 minutes, one GET a read. */
import type { PublicProfiles } from '../../core/accounts/ports.js';
import { toPublicUserView, type PublicUserView, type StoredUser } from '../../core/accounts/users.js';
import type { RedisClient } from './client.js';

interface Cached {
  profile: PublicUserView;
  etag: string | undefined;
}

export class RedisPublicProfiles implements PublicProfiles {
  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly keyPrefix: string,
    private readonly users: { findById(id: string): Promise<StoredUser | null> },
    private readonly ttlSeconds = 300,
  ) {}

  private key(userId: string): string {
    return `${this.keyPrefix}public-profile:${userId}`;
  }

  async get(userId: string): Promise<Cached | null> {
    const client = await this.redis();
    const cached = await client.get(this.key(userId));
    // "" marks a user the users container does not have: cached as well, so probing costs no Cosmos read.
    if (cached === '') return null;
    if (cached !== null) return JSON.parse(cached) as Cached;
    const user = await this.users.findById(userId);
    const found = user === null ? null : { profile: toPublicUserView(user), etag: user.etag };
    await client.set(this.key(userId), found === null ? '' : JSON.stringify(found), { EX: this.ttlSeconds });
    return found;
  }

  async invalidate(userId: string): Promise<void> {
    await (await this.redis()).del(this.key(userId));
  }
}
