/** Other players' public profiles through the Redis cache (real Redis): one Cosmos read per 5 minutes, the public fields only. */
import { afterAll, describe, expect, it } from 'vitest';
import { RedisPublicProfiles } from '../../functions/adapters/redis/public-profiles.js';
import type { StoredUser } from '../../functions/core/accounts/users.js';
import { testRedis } from '../support/redis-client.js';

const redis = testRedis('public-profiles');
afterAll(async () => {
  await redis.stop();
});

const alice: StoredUser = {
  id: 'u-alice',
  username: 'alice',
  email: 'alice@example.com',
  displayName: 'Alice',
  avatarUrl: null,
  roles: ['player'],
  status: 'active',
  statusReason: null,
  statusUntil: null,
  passwordHash: '$2a$12$secret-hash',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  etag: '"7"',
};

function counting(users: Map<string, StoredUser>) {
  const reads: string[] = [];
  return { reads, findById: async (id: string) => (reads.push(id), users.get(id) ?? null) };
}

describe('RedisPublicProfiles', () => {
  it('reads a profile once, keeps only its public fields, and reads again after invalidate', async () => {
    const users = new Map([[alice.id, alice]]);
    const source = counting(users);
    const profiles = new RedisPublicProfiles(redis.get, redis.prefix, source);
    const first = await profiles.get(alice.id);
    expect(first).toEqual({ profile: { id: 'u-alice', username: 'alice', displayName: 'Alice', avatarUrl: null, createdAt: alice.createdAt }, etag: '"7"' });
    expect(await profiles.get(alice.id)).toEqual(first);
    expect(source.reads).toEqual([alice.id]);
    const stored = await (await redis.get()).get(`${redis.prefix}public-profile:${alice.id}`);
    expect(stored).not.toContain('secret-hash');
    expect(stored).not.toContain('alice@example.com');

    users.set(alice.id, { ...alice, displayName: 'Alice B', etag: '"8"' });
    await profiles.invalidate(alice.id);
    expect((await profiles.get(alice.id))?.profile.displayName).toBe('Alice B');
    expect(source.reads).toEqual([alice.id, alice.id]);
  });

  it('remembers a user that does not exist, so probing ids costs no further reads', async () => {
    const source = counting(new Map());
    const profiles = new RedisPublicProfiles(redis.get, redis.prefix, source);
    expect(await profiles.get('u-nobody')).toBeNull();
    expect(await profiles.get('u-nobody')).toBeNull();
    expect(source.reads).toEqual(['u-nobody']);
  });

  it("answers a listing's usernames with one read for all, from the same entries a profile read caches", async () => {
    const bob: StoredUser = { ...alice, id: 'u-bob', username: 'bob', email: 'bob@example.com' };
    const source = counting(new Map([[alice.id, alice], [bob.id, bob]]));
    const profiles = new RedisPublicProfiles(redis.get, `${redis.prefix}names:`, source);
    await profiles.get(alice.id);
    expect(await profiles.usernames([alice.id, bob.id, 'u-nobody'])).toEqual(new Map([[alice.id, 'alice'], [bob.id, 'bob']]));
    expect(await profiles.usernames([alice.id, bob.id, 'u-nobody'])).toEqual(new Map([[alice.id, 'alice'], [bob.id, 'bob']]));
    expect(source.reads).toEqual([alice.id, bob.id, 'u-nobody']);
    expect(await profiles.get(bob.id)).toMatchObject({ profile: { username: 'bob' } });
    expect(source.reads).toHaveLength(3);
    await profiles.invalidate(bob.id);
    expect(await profiles.usernames([bob.id])).toEqual(new Map([[bob.id, 'bob']]));
    expect(source.reads).toEqual([alice.id, bob.id, 'u-nobody', bob.id]);
  });
});
