/** The social graph against the Cosmos stand-in: both sides of every edge, and exact counts under races. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosSocialGraph } from '../../functions/adapters/cosmos/social.js';
import { CosmosPreferencesStore, CosmosPrivacyStore } from '../../functions/adapters/cosmos/social-settings.js';
import { CosmosReportStore } from '../../functions/adapters/cosmos/reports.js';
import type { PlayerRef } from '../../functions/core/social/ports.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';

let cosmos: TestCosmos;
let graph: CosmosSocialGraph;
let clock = Date.parse('2026-01-01T00:00:00Z');

beforeAll(async () => {
  cosmos = await startTestCosmos();
  graph = new CosmosSocialGraph(cosmos.handle, () => (clock += 1));
});
afterAll(async () => {
  await cosmos?.stop();
});

const player = (name: string): PlayerRef => ({ id: randomUUID(), username: name });

describe('follow edges', () => {
  it('are stored on both sides, listed newest first, counted exactly, and undone on both sides', async () => {
    const target = player('target');
    const fans = [player('fan1'), player('fan2'), player('fan3')];
    for (const fan of fans) await graph.setEdge('follow', fan, target, () => 'active');
    const followers = await graph.list(target.id, 'followers', 'active', 10, undefined);
    expect(followers.map((f) => f.username)).toEqual(['fan3', 'fan2', 'fan1']);
    expect(await graph.count(target.id, 'followers', 'active')).toBe(3);
    expect((await graph.list(fans[0]!.id, 'following', 'active', 10, undefined)).map((f) => f.userId)).toEqual([target.id]);
    const page = await graph.list(target.id, 'followers', 'active', 2, undefined);
    expect((await graph.list(target.id, 'followers', 'active', 2, page[1]!.sortKey)).map((f) => f.username)).toEqual(['fan1']);

    await graph.setEdge('follow', fans[1]!, target, () => 'none');
    expect(await graph.count(target.id, 'followers', 'active')).toBe(2);
    expect(await graph.count(fans[1]!.id, 'following', 'active')).toBe(0);
    const relation = (await graph.relations(target.id, [fans[0]!.id, fans[1]!.id])).get(fans[0]!.id);
    expect(relation).toEqual({ following: 'none', followedBy: 'active', blocking: false, blockedBy: false });
  });

  it('20 racing follow/unfollow pairs end with counts equal to the edges on both sides', async () => {
    const target = player('popular');
    const fans = Array.from({ length: 20 }, (_, i) => player(`racer${i}`));
    // Each fan follows and unfollows at once, three times over, and the target follows each back meanwhile.
    await Promise.all(
      fans.flatMap((fan) => [
        graph.setEdge('follow', fan, target, () => 'active'),
        graph.setEdge('follow', fan, target, () => 'none'),
        graph.setEdge('follow', fan, target, () => 'active'),
        graph.setEdge('follow', fan, target, () => 'none'),
        graph.setEdge('follow', fan, target, () => 'active'),
        graph.setEdge('follow', target, fan, () => 'active'),
      ]),
    );
    let followingSide = 0;
    for (const fan of fans) {
      const mine = await graph.count(fan.id, 'following', 'active');
      const seenByTarget = (await graph.relations(target.id, [fan.id])).get(fan.id)?.followedBy ?? 'none';
      // The follower's side and the followee's mirror agree for every pair.
      expect(seenByTarget === 'active' ? 1 : 0).toBe(mine);
      expect(await graph.count(fan.id, 'followers', 'active')).toBe(1);
      followingSide += mine;
    }
    expect(await graph.count(target.id, 'followers', 'active')).toBe(followingSide);
    expect((await graph.list(target.id, 'followers', 'active', 100, undefined)).length).toBe(followingSide);
    expect(await graph.count(target.id, 'following', 'active')).toBe(20);
  });

  it('keeps a decided state when asked again (a pending request stays pending)', async () => {
    const a = player('asker');
    const b = player('private');
    expect(await graph.setEdge('follow', a, b, (s) => (s === 'none' ? 'pending' : s))).toEqual({ previous: 'none', current: 'pending' });
    expect(await graph.setEdge('follow', a, b, (s) => (s === 'none' ? 'pending' : s))).toEqual({ previous: 'pending', current: 'pending' });
    expect(await graph.count(b.id, 'followers', 'pending')).toBe(1);
    expect(await graph.count(b.id, 'followers', 'active')).toBe(0);
    await graph.setEdge('follow', a, b, (s) => (s === 'pending' ? 'active' : s));
    expect(await graph.count(b.id, 'followers', 'active')).toBe(1);
  });
});

describe('privacy and preferences documents', () => {
  it('privacy starts at the defaults and keeps each change', async () => {
    const privacy = new CosmosPrivacyStore(cosmos.handle);
    const id = randomUUID();
    expect(await privacy.get(id)).toEqual({ profileVisibility: 'public', presenceVisibility: 'followers', followApproval: false, searchable: true });
    await Promise.all([
      privacy.update(id, (p) => ({ ...p, followApproval: true })),
      privacy.update(id, (p) => ({ ...p, searchable: false })),
    ]);
    expect(await privacy.get(id)).toMatchObject({ followApproval: true, searchable: false });
  });

  it('preferences honour If-Match in either etag spelling', async () => {
    const preferences = new CosmosPreferencesStore(cosmos.handle);
    const id = randomUUID();
    const first = await preferences.put(id, { language: 'en' }, undefined);
    await expect(preferences.put(id, { language: 'de' }, '"not-the-etag"')).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const quoted = `"${first.etag!.replace(/"/g, '')}"`;
    const second = await preferences.put(id, { language: 'fr' }, quoted);
    expect((await preferences.get(id)).value).toEqual({ language: 'fr' });
    await expect(preferences.put(id, { language: 'es' }, first.etag)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(second.etag).not.toBe(first.etag);
  });
});

describe('reports', () => {
  it('allow one open report per reporter and target, and another once it is resolved', async () => {
    const reports = new CosmosReportStore(cosmos.handle);
    const [reporterId, targetId] = [randomUUID(), randomUUID()];
    const report = (id: string) => ({
      id,
      reporterId,
      reporterUsername: 'r',
      targetId,
      targetUsername: 't',
      category: 'spam' as const,
      details: null,
      status: 'open' as const,
      createdAt: new Date(clock).toISOString(),
      sortKey: `${new Date(clock++).toISOString()}|${id}`,
      resolution: null,
    });
    const first = report(randomUUID());
    const results = await Promise.allSettled([reports.create(first), reports.create(report(randomUUID()))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const open = await reports.list('open', 100, undefined);
    const mine = open.filter((r) => r.reporterId === reporterId);
    expect(mine).toHaveLength(1);
    const resolution = { action: 'dismiss' as const, note: 'fine', adminId: 'a', at: new Date().toISOString() };
    await reports.resolve(mine[0]!, resolution);
    await expect(reports.resolve(mine[0]!, resolution)).rejects.toMatchObject({ code: 'CONFLICT' });
    await reports.create(report(randomUUID()));
    expect((await reports.list('resolved', 100, undefined)).some((r) => r.id === mine[0]!.id)).toBe(true);
  });
});
