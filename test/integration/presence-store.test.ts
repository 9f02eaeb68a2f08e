/** Presence in a real Redis: transitions detected once, time never runs backwards, sweeps and listings. */
import { afterAll, describe, expect, it } from 'vitest';
import { RedisPresenceStore } from '../../functions/adapters/redis/presence.js';
import { RedisPublicProfiles } from '../../functions/adapters/redis/public-profiles.js';
import { activeUsers, type PresenceDeps } from '../../functions/core/presence/presence.js';
import type { Caller } from '../../functions/core/kernel/caller.js';
import { testRedis } from '../support/redis-client.js';

const redis = testRedis('presence');
afterAll(() => redis.stop());
let n = 0;
const store = () => new RedisPresenceStore(redis.get, `${redis.prefix}${++n}:`);
const gameServer: Caller = { subject: 'client:test', kind: 'service', sessionId: null, roles: ['game-server'], username: null };
const player: Caller = { subject: 'p1', kind: 'player', sessionId: 's', roles: ['player'], username: 'p1' };
const T = 1_800_000_000_000;

describe('RedisPresenceStore', () => {
  it('brings an unseen user online once, however many sightings race', async () => {
    const s = store();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.seen([{ userId: 'u1', at: T + i }])));
    expect(results.flat()).toEqual([{ userId: 'u1', previousStatus: 'offline', newStatus: 'online', at: expect.any(Number) }]);
    const view = await s.get('u1');
    expect(view.status).toBe('online');
    expect(view.lastSeenAt).toBe(new Date(T + 19).toISOString());
  });

  it('moves lastSeenAt only forward and keeps the latest activity', async () => {
    const s = store();
    await s.seen([{ userId: 'u', at: T + 1000, activity: { name: 'match-start', at: '2026-01-01T00:00:00.000Z' } }]);
    await s.seen([{ userId: 'u', at: T }]);
    expect(await s.get('u')).toEqual({ userId: 'u', status: 'online', lastSeenAt: new Date(T + 1000).toISOString(), activity: { name: 'match-start', at: '2026-01-01T00:00:00.000Z' } });
  });

  it('reports explicit changes once and ignores changes older than the last one', async () => {
    const s = store();
    await s.seen([{ userId: 'u', at: T }]);
    expect(await s.set('u', 'in-game', T + 10)).toEqual({ userId: 'u', previousStatus: 'online', newStatus: 'in-game', at: T + 10 });
    expect(await s.set('u', 'in-game', T + 20)).toBeNull();
    // A heartbeat does not override an explicit state.
    await s.seen([{ userId: 'u', at: T + 30 }]);
    expect((await s.get('u')).status).toBe('in-game');
    expect(await s.set('u', 'offline', T + 40)).toEqual({ userId: 'u', previousStatus: 'in-game', newStatus: 'offline', at: T + 40 });
    // A late event from before the logout changes nothing: no revival, no flip.
    expect(await s.seen([{ userId: 'u', at: T + 35 }])).toEqual([]);
    expect(await s.set('u', 'away', T + 39)).toBeNull();
    expect((await s.get('u')).status).toBe('offline');
    expect(await s.seen([{ userId: 'u', at: T + 50 }])).toHaveLength(1);
  });

  it('sweeps users not seen since the cutoff, with their previous status, once', async () => {
    const s = store();
    await s.seen([{ userId: 'old', at: T }, { userId: 'away', at: T }, { userId: 'fresh', at: T + 10_000 }]);
    await s.set('away', 'away', T + 1);
    const swept = await s.sweep(T + 5_000, T + 20_000, 100);
    expect(swept.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
      { userId: 'away', previousStatus: 'away', newStatus: 'offline', at: T + 20_000 },
      { userId: 'old', previousStatus: 'online', newStatus: 'offline', at: T + 20_000 },
    ]);
    expect(await s.sweep(T + 5_000, T + 21_000, 100)).toEqual([]);
    expect((await s.get('fresh')).status).toBe('online');
    expect((await s.get('old')).status).toBe('offline');
  });

  it('lists online users newest first, page by page, with usernames where known', async () => {
    const s = store();
    for (let i = 0; i < 25; i++) await s.seen([{ userId: `p${i}`, at: T + i * 10, username: i % 2 ? `name${i}` : null }]);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page++) {
      const result = await s.online({ limit: 10, cursor });
      seen.push(...result.items.map((u) => u.userId));
      if (page === 0) {
        expect(result.items[0]).toEqual({ userId: 'p24', username: null, status: 'online', lastSeenAt: new Date(T + 240).toISOString() });
        expect(result.items[1]?.username).toBe('name23');
      }
      cursor = result.cursor ?? undefined;
      if (page < 2) expect(cursor).toBeTruthy();
    }
    expect(cursor).toBeUndefined();
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `p${24 - i}`));
    await s.rememberUsernames(new Map([['p24', 'latest']]));
    expect((await s.online({ limit: 1 })).items[0]?.username).toBe('latest');
  });

  it('says which names on a page are unknown, leaving out users the profile cache knows do not exist', async () => {
    const prefix = `${redis.prefix}${++n}:`;
    const s = new RedisPresenceStore(redis.get, prefix);
    await s.seen([{ userId: 'named', at: T + 3, username: 'alice' }, { userId: 'ghost', at: T + 2 }, { userId: 'new', at: T + 1 }]);
    await (await redis.get()).set(`${prefix}public-profile:ghost`, '');
    const page = await s.online({ limit: 10 });
    expect(page.items.map((u) => [u.userId, u.username])).toEqual([['named', 'alice'], ['ghost', null], ['new', null]]);
    expect(page.unnamed).toEqual(['new']);
    await s.forgetUsername('named');
    expect((await s.online({ limit: 10 })).unnamed).toEqual(['named', 'new']);
  });

  it('looks each unknown username up once: found names are remembered in presence, missing users in the profile cache', async () => {
    const prefix = `${redis.prefix}${++n}:`;
    const s = new RedisPresenceStore(redis.get, prefix);
    const reads: string[] = [];
    const bob = { id: 'bob', username: 'bob', displayName: null, avatarUrl: null, createdAt: '2026-01-01T00:00:00.000Z' };
    const profiles = new RedisPublicProfiles(redis.get, prefix, { findById: async (id) => (reads.push(id), id === 'bob' ? (bob as never) : null) });
    const deps = { presence: s, usernames: (ids: string[]) => profiles.usernames(ids) } as unknown as PresenceDeps;
    await s.seen([{ userId: 'bob', at: T + 2 }, { userId: 'bot-7', at: T + 1 }]);
    const expected = { items: [{ userId: 'bob', username: 'bob', status: 'online', lastSeenAt: new Date(T + 2).toISOString() }, { userId: 'bot-7', username: null, status: 'online', lastSeenAt: new Date(T + 1).toISOString() }], cursor: null };
    expect(await activeUsers(deps, gameServer, { limit: 10 })).toEqual(expected);
    expect(await activeUsers(deps, gameServer, { limit: 10 })).toEqual(expected);
    expect(reads).toEqual(['bob', 'bot-7']);
    expect((await s.online({ limit: 10 })).unnamed).toEqual([]);
    // Once the "no such user" entry expires, the id is looked up again.
    await profiles.invalidate('bot-7');
    await activeUsers(deps, gameServer, { limit: 10 });
    expect(reads).toEqual(['bob', 'bot-7', 'bot-7']);
    // The list is for game servers and admins only.
    await expect(activeUsers(deps, player, { limit: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('pages a live list without skipping or repeating: players seen again or gone do not shift later pages', async () => {
    const s = store();
    for (let i = 0; i < 30; i++) await s.seen([{ userId: `p${i}`, at: T + i * 10 }]);
    const first = await s.online({ limit: 10 });
    expect(first.items.map((u) => u.userId)).toEqual(Array.from({ length: 10 }, (_, i) => `p${29 - i}`));
    // Between pages: someone already listed and someone still to come are seen again, one listed player goes offline.
    await s.seen([{ userId: 'p25', at: T + 1000 }, { userId: 'p5', at: T + 1001 }]);
    await s.set('p28', 'offline', T + 1002);
    const rest: string[] = [];
    let cursor = first.cursor ?? undefined;
    while (cursor) {
      const page = await s.online({ limit: 10, cursor });
      rest.push(...page.items.map((u) => u.userId));
      cursor = page.cursor ?? undefined;
    }
    // p5 moved ahead of the reader, so this pass no longer meets it; everyone else still to come is met exactly once.
    expect(rest).toEqual(Array.from({ length: 20 }, (_, i) => `p${19 - i}`).filter((id) => id !== 'p5'));
  });

  it('pages through players seen in the same millisecond, more of them than a page holds', async () => {
    const s = store();
    await s.seen(Array.from({ length: 25 }, (_, i) => ({ userId: `t${String(i).padStart(2, '0')}`, at: T })));
    await s.seen([{ userId: 'newest', at: T + 1 }, { userId: 'oldest', at: T - 1 }]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.online({ limit: 7, cursor });
      seen.push(...page.items.map((u) => u.userId));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(27);
    expect(new Set(seen).size).toBe(27);
    expect(seen[0]).toBe('newest');
    expect(seen.at(-1)).toBe('oldest');
  });

  it('refuses a cursor it did not hand out', async () => {
    await expect(store().online({ limit: 10, cursor: Buffer.from('o:10').toString('base64url') })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
