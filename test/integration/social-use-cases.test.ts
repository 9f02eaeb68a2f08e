/**
 * The social use cases over the real Cosmos stand-in and Redis index, with the accounts feature's
 * fakes: the per-player change limit, a follow racing a block, deletion leaving every list.
 */
import { RedisPublicProfiles } from '../../functions/adapters/redis/public-profiles.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosReportStore } from '../../functions/adapters/cosmos/reports.js';
import { CosmosSocialGraph } from '../../functions/adapters/cosmos/social.js';
import { CosmosPreferencesStore, CosmosPrivacyStore } from '../../functions/adapters/cosmos/social-settings.js';
import { RedisPlayerIndex } from '../../functions/adapters/redis/player-index.js';
import type { StoredUser } from '../../functions/core/accounts/users.js';
import type { Caller } from '../../functions/core/kernel/caller.js';
import type { PresenceDeps } from '../../functions/core/presence/presence.js';
import { block } from '../../functions/core/social/blocks.js';
import type { SocialDeps } from '../../functions/core/social/deps.js';
import { follow } from '../../functions/core/social/follows.js';
import { socialLifecycle } from '../../functions/core/social/lifecycle.js';
import { searchPlayers } from '../../functions/core/social/search.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { fakeDeps } from '../support/fakes.js';
import { testRedis } from '../support/redis-client.js';

let cosmos: TestCosmos;
const redis = testRedis('social-use-cases');
let deps: SocialDeps;
let accounts: ReturnType<typeof fakeDeps>;
let n = 0;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  accounts = fakeDeps();
  deps = {
    graph: new CosmosSocialGraph(cosmos.handle, () => accounts.clock.now() + n++),
    privacy: new CosmosPrivacyStore(cosmos.handle),
    preferences: new CosmosPreferencesStore(cosmos.handle),
    index: new RedisPlayerIndex(redis.get, redis.prefix),
    reports: new CosmosReportStore(cosmos.handle),
    accounts,
    publicProfiles: new RedisPublicProfiles(redis.get, redis.prefix, accounts.users),
    presence: {} as PresenceDeps,
    events: accounts.events,
    clock: accounts.clock,
    newId: accounts.newId,
    limits: { changesPerPlayer: { name: 'social-change', max: 3, windowSeconds: 60 }, reportsPerReporter: { name: 'report', max: 3, windowSeconds: 60 } },
    preferencesMaxBytes: 16_384,
  };
});
afterAll(async () => {
  await cosmos?.stop();
  await redis.stop();
});

async function player(username: string): Promise<{ user: StoredUser; caller: Caller }> {
  const now = new Date(accounts.clock.now()).toISOString();
  const user = await accounts.users.create({
    id: accounts.newId(),
    username,
    email: `${username}@example.com`,
    displayName: username,
    avatarUrl: null,
    roles: ['player'],
    status: 'active',
    statusReason: null,
    statusUntil: null,
    passwordHash: 'x',
    createdAt: now,
    updatedAt: now,
  });
  await socialLifecycle(deps).created(user);
  return { user, caller: { subject: user.id, kind: 'player', sessionId: 's', roles: ['player'], username } };
}

describe('social use cases', () => {
  it('limit follow changes per player (429 past SOCIAL_CHANGE_LIMIT)', async () => {
    const a = await player('limit_a');
    const others = await Promise.all(['limit_b', 'limit_c', 'limit_d', 'limit_e'].map(player));
    for (const other of others.slice(0, 3)) await follow(deps, a.caller, other.user.id);
    await expect(follow(deps, a.caller, others[3]!.user.id)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('a follow racing a block leaves no follow behind, whichever wins', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await player(`race_a${round}`);
      const b = await player(`race_b${round}`);
      await Promise.allSettled([follow(deps, b.caller, a.user.id), block(deps, a.caller, b.user.id)]);
      expect(await deps.graph.count(a.user.id, 'followers', 'active')).toBe(0);
      expect(await deps.graph.count(b.user.id, 'following', 'active')).toBe(0);
      expect((await deps.graph.relations(b.user.id, [a.user.id])).get(a.user.id)?.blockedBy).toBe(true);
    }
  });

  it('a deleted player leaves search and the lists of everyone they followed or who followed them', async () => {
    const gone = await player('gone_player');
    const fan = await player('gone_fan');
    const idol = await player('gone_idol');
    await follow(deps, fan.caller, gone.user.id);
    await follow(deps, gone.caller, idol.user.id);
    expect((await searchPlayers(deps, fan.caller, { search: 'gone_p', limit: 10, cursor: undefined })).items.map((p) => p.id)).toEqual([gone.user.id]);
    await accounts.users.delete(gone.user);
    await socialLifecycle(deps).deleted(gone.user);
    expect((await searchPlayers(deps, fan.caller, { search: 'gone_p', limit: 10, cursor: undefined })).items).toEqual([]);
    expect(await deps.graph.count(fan.user.id, 'following', 'active')).toBe(0);
    expect(await deps.graph.count(idol.user.id, 'followers', 'active')).toBe(0);
  });
});
