/** The Redis read-through cache of public profile names (leaderboard pages): one MGET per page. */
import type { ProfileNames } from '../../core/leaderboards/ports.js';
import type { RedisClient } from './client.js';

/** Usernames by user id, read through from the users container and kept 5 minutes. */
export class RedisProfileNames implements ProfileNames {
  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly keyPrefix: string,
    private readonly users: { findById(id: string): Promise<{ username: string } | null> },
    private readonly ttlSeconds = 300,
  ) {}

  private key(userId: string): string {
    return `${this.keyPrefix}profile:${userId}`;
  }

  async usernames(userIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (userIds.length === 0) return names;
    const client = await this.redis();
    // One round trip for the whole page; only the misses go to Cosmos.
    const cached = await client.mGet(userIds.map((id) => this.key(id)));
    const misses: string[] = [];
    userIds.forEach((id, i) => {
      const name = cached[i];
      // "" marks a user the users container does not have (deleted, or a bot's id): cached as well.
      if (typeof name === 'string') {
        if (name !== '') names.set(id, name);
      } else misses.push(id);
    });
    const found = await Promise.all(misses.map(async (id) => [id, await this.users.findById(id)] as const));
    await Promise.all(
      found.map(async ([id, user]) => {
        if (user) names.set(id, user.username);
        await client.set(this.key(id), user?.username ?? '', { EX: this.ttlSeconds });
      }),
    );
    return names;
  }

  async invalidate(userId: string): Promise<void> {
    await (await this.redis()).del(this.key(userId));
  }
}
