/** The social graph over HTTP: follows, friends, approval, blocks, privacy on every read path, preferences, search, reports. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filedReport, listPage, playerPage, privacyView, publicProfile, reportPage, restrictedProfile } from '../../functions/http/social/contract.js';
import { EVENT_DATA_SCHEMAS } from '../../functions/core/events/events.js';
import { auditTrail, waitForEvents } from '../support/events.js';
import { gameServerToken, newPlayer, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

const BOOTSTRAP = 'bootstrap-token-for-the-social-tests';
let stack: Stack;
let admin: Grant;
let server: string;

type Player = Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  stack = await startStack({ label: 'social', env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP, REPORT_LIMIT: '3/3600' } });
  const first = await signUp(stack);
  expect((await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token: BOOTSTRAP } })).status).toBe(200);
  admin = (await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: first.refreshToken } })).body;
  server = await gameServerToken(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const api = (path: string) => `${stack.api}${path}`;
const follow = (who: Player, whom: Player) => call<{ state: string }>(api(`/me/following/${whom.user.id}`), { method: 'POST', token: who.accessToken });
const setPrivacy = (who: Player, body: object) => call(api('/me/privacy'), { method: 'PATCH', token: who.accessToken, body });
const profile = (who: string, of: Player) => call(api(`/users/${of.user.id}`), { token: who });
const search = (who: Player, prefix: string) => call<{ items: { id: string; username: string }[]; cursor: string | null }>(api(`/players?search=${prefix}`), { token: who.accessToken });

describe('follow and friends', () => {
  it('two players who follow each other are friends; counts and lists show it', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const c = await signUp(stack);
    expect((await follow(a, b)).body).toEqual({ userId: b.user.id, state: 'active' });
    expect((await follow(c, b)).status).toBe(200);
    expect((await follow(b, a)).status).toBe(200);
    // Following again changes nothing.
    expect((await follow(a, b)).body.state).toBe('active');

    const friends = await call(api('/me/friends'), { token: a.accessToken });
    expect(listPage.parse(friends.body).items.map((i) => i.username)).toEqual([b.user.username]);
    expect(listPage.parse((await call(api('/me/friends'), { token: c.accessToken })).body).items).toEqual([]);

    const followers = listPage.parse((await call(api(`/users/${b.user.id}/followers`), { token: c.accessToken })).body);
    expect(followers.items.map((i) => i.username)).toEqual([c.user.username, a.user.username]);
    // Presence shows where the listed player lets the caller see it: c's own, and a's (c does not follow a) only once a says everyone.
    expect(followers.items[0]?.presence?.status).toBe('online');
    expect(followers.items[1]?.presence).toBeUndefined();
    await setPrivacy(a, { presenceVisibility: 'everyone' });
    const again = listPage.parse((await call(api(`/users/${b.user.id}/followers`), { token: c.accessToken })).body);
    expect(again.items[1]?.presence?.status).toBe('online');
    const page = await call<{ items: unknown[]; cursor: string }>(api(`/users/${b.user.id}/followers?limit=1`), { token: c.accessToken });
    expect(page.body.items).toHaveLength(1);
    const next = listPage.parse((await call(api(`/users/${b.user.id}/followers?limit=1&cursor=${page.body.cursor}`), { token: c.accessToken })).body);
    expect(next.items.map((i) => i.username)).toEqual([a.user.username]);

    const seen = publicProfile.strict().parse((await profile(c.accessToken, b)).body);
    expect(seen).toMatchObject({ followers: 2, following: 1 });
    expect((await profile(b.accessToken, b)).body).toMatchObject({ email: b.player.email, followers: 2, following: 1 });

    expect((await call(api(`/me/following/${b.user.id}`), { method: 'DELETE', token: a.accessToken })).status).toBe(204);
    expect((await profile(c.accessToken, b)).body).toMatchObject({ followers: 1 });
    expect(listPage.parse((await call(api('/me/friends'), { token: a.accessToken })).body).items).toEqual([]);
  });

  it('refuses following yourself (400) and unknown players (404), and game servers (403)', async () => {
    const a = await signUp(stack);
    expect((await follow(a, a)).status).toBe(400);
    expect((await call(api('/me/following/00000000-0000-4000-8000-000000000000'), { method: 'POST', token: a.accessToken })).status).toBe(404);
    expect((await call(api(`/me/following/${a.user.id}`), { method: 'POST', token: server })).status).toBe(403);
  });

  it('is pending until accepted when the target asks for approval; a rejected request is gone', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const c = await signUp(stack);
    expect(privacyView.parse((await setPrivacy(b, { followApproval: true })).body).followApproval).toBe(true);
    expect((await follow(a, b)).body.state).toBe('pending');
    expect((await follow(c, b)).body.state).toBe('pending');
    expect((await profile(a.accessToken, b)).body).toMatchObject({ followers: 0 });
    const pending = listPage.parse((await call(api(`/users/${b.user.id}/followers?status=pending`), { token: b.accessToken })).body);
    expect(pending.items.map((i) => i.userId).sort()).toEqual([a.user.id, c.user.id].sort());
    expect((await call(api(`/users/${b.user.id}/followers?status=pending`), { token: a.accessToken })).status).toBe(403);

    expect((await call(api(`/me/followers/${a.user.id}/accept`), { method: 'POST', token: b.accessToken })).body).toEqual({ userId: a.user.id, state: 'active' });
    expect((await call(api(`/me/followers/${c.user.id}/reject`), { method: 'POST', token: b.accessToken })).body).toEqual({ userId: c.user.id, state: 'none' });
    expect((await call(api(`/me/followers/${c.user.id}/accept`), { method: 'POST', token: b.accessToken })).status).toBe(404);
    expect((await profile(c.accessToken, b)).body).toMatchObject({ followers: 1 });
    const active = listPage.parse((await call(api(`/users/${b.user.id}/followers`), { token: b.accessToken })).body);
    expect(active.items.map((i) => i.userId)).toEqual([a.user.id]);
  });
});

describe('blocks', () => {
  it('end follows both ways, stop following, hide presence and profile, and leave search and lists', async () => {
    const tag = `blk${Date.now().toString(36)}`;
    const a = await signUp(stack, { ...newPlayer(), username: `${tag}_a` });
    const b = await signUp(stack, { ...newPlayer(), username: `${tag}_b` });
    const c = await signUp(stack);
    await follow(a, b);
    await follow(b, a);
    await follow(a, c);
    await follow(b, c);
    expect((await search(b, tag)).body.items.map((i) => i.id)).toContain(a.user.id);

    expect((await call(api(`/me/blocks/${b.user.id}`), { method: 'POST', token: a.accessToken })).body).toEqual({ userId: b.user.id, blocked: true });
    expect((await profile(a.accessToken, a)).body).toMatchObject({ followers: 0, following: 1 });
    expect((await profile(b.accessToken, b)).body).toMatchObject({ followers: 0, following: 1 });
    expect((await follow(b, a)).status).toBe(403);
    expect((await follow(a, b)).status).toBe(403);

    expect(restrictedProfile.strict().parse((await profile(b.accessToken, a)).body)).toEqual({ id: a.user.id, username: a.user.username, restricted: true });
    expect((await call(api(`/user-status?userId=${a.user.id}`), { token: b.accessToken })).status).toBe(403);
    expect((await search(b, tag)).body.items.map((i) => i.id)).toEqual([b.user.id]);
    expect((await search(a, tag)).body.items.map((i) => i.id)).toEqual([a.user.id]);
    expect((await call(api(`/users/${a.user.id}/following`), { token: b.accessToken })).status).toBe(403);
    // In a third player's list, each of them is hidden from the other.
    const cFollowers = listPage.parse((await call(api(`/users/${c.user.id}/followers`), { token: b.accessToken })).body);
    expect(cFollowers.items.map((i) => i.userId)).toEqual([b.user.id]);
    const blocks = listPage.parse((await call(api('/me/blocks'), { token: a.accessToken })).body);
    expect(blocks.items.map((i) => i.userId)).toEqual([b.user.id]);
    // Game servers and admins still see everything.
    expect((await call(api(`/user-status?userId=${a.user.id}`), { token: server })).status).toBe(200);
    expect(publicProfile.parse((await profile(server, a)).body).username).toBe(a.user.username);

    expect((await call(api(`/me/blocks/${b.user.id}`), { method: 'DELETE', token: a.accessToken })).status).toBe(204);
    expect((await follow(b, a)).body.state).toBe('active');
    expect((await search(b, tag)).body.items.map((i) => i.id).sort()).toEqual([a.user.id, b.user.id].sort());
  });
});

describe('privacy', () => {
  it('applies profileVisibility, presenceVisibility and searchable to other players, never to staff', async () => {
    const tag = `prv${Date.now().toString(36)}`;
    const owner = await signUp(stack, { ...newPlayer(), username: `${tag}_owner` });
    const fan = await signUp(stack);
    const stranger = await signUp(stack);
    await follow(fan, owner);
    const status = (token: string) => call(api(`/user-status?userId=${owner.user.id}`), { token });

    expect((await call(api('/me/privacy'), { token: owner.accessToken })).body).toEqual({
      profileVisibility: 'public',
      presenceVisibility: 'followers',
      followApproval: false,
      searchable: true,
    });
    expect((await status(stranger.accessToken)).status).toBe(403);
    await setPrivacy(owner, { presenceVisibility: 'everyone' });
    expect((await status(stranger.accessToken)).status).toBe(200);

    await setPrivacy(owner, { profileVisibility: 'followers', presenceVisibility: 'followers' });
    expect((await profile(stranger.accessToken, owner)).body).toMatchObject({ restricted: true });
    expect(publicProfile.parse((await profile(fan.accessToken, owner)).body).followers).toBe(1);
    expect((await status(stranger.accessToken)).status).toBe(403);
    expect((await status(fan.accessToken)).status).toBe(200);
    expect((await call(api(`/users/${owner.user.id}/followers`), { token: stranger.accessToken })).status).toBe(403);
    expect((await call(api(`/users/${owner.user.id}/followers`), { token: fan.accessToken })).status).toBe(200);
    // In lists, presence follows the listed player's setting.
    const fanFollowing = listPage.parse((await call(api(`/users/${fan.user.id}/following`), { token: stranger.accessToken })).body);
    expect(fanFollowing.items[0]?.userId).toBe(owner.user.id);
    expect(fanFollowing.items[0]?.presence).toBeUndefined();

    await setPrivacy(owner, { profileVisibility: 'private', presenceVisibility: 'friends' });
    expect((await profile(fan.accessToken, owner)).body).toMatchObject({ restricted: true });
    expect((await status(fan.accessToken)).status).toBe(403);
    await follow(owner, fan);
    expect((await status(fan.accessToken)).status).toBe(200);
    await setPrivacy(owner, { presenceVisibility: 'nobody' });
    expect((await status(fan.accessToken)).status).toBe(403);
    expect((await status(server)).status).toBe(200);
    expect((await profile(admin.accessToken, owner)).body).toMatchObject({ email: owner.player.email });
    expect(publicProfile.parse((await profile(server, owner)).body).id).toBe(owner.user.id);

    expect((await search(stranger, tag)).body.items.map((i) => i.id)).toEqual([owner.user.id]);
    await setPrivacy(owner, { searchable: false });
    expect((await search(stranger, tag)).body.items).toEqual([]);
    await setPrivacy(owner, { searchable: true });
    expect((await search(stranger, tag)).body.items).toHaveLength(1);
  });

  it('refuses unknown settings and values with the field named', async () => {
    const a = await signUp(stack);
    const bad = await setPrivacy(a, { profileVisibility: 'friends-of-friends', extra: 1 });
    expect(bad.status).toBe(400);
    const fields = (bad.body['errors'] as { field: string }[]).map((e) => e.field);
    expect(fields).toContain('profileVisibility');
    expect(fields.some((f) => f.includes('extra'))).toBe(true);
    expect((await call(api('/me/privacy'), { token: server })).status).toBe(403);
  });
});

describe('preferences', () => {
  it('are a JSON document of at most 16 KiB with ETag and If-Match, replaced by PUT and merged by PATCH', async () => {
    const a = await signUp(stack);
    const empty = await call(api('/me/preferences'), { token: a.accessToken });
    expect(empty.body).toEqual({});
    const put = await call(api('/me/preferences'), { method: 'PUT', token: a.accessToken, body: { language: 'en', notifications: { friends: true } } });
    expect(put.status).toBe(200);
    const etag = put.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const patched = await call(api('/me/preferences'), { method: 'PATCH', token: a.accessToken, body: { language: null, volume: 7 }, headers: { 'if-match': etag } });
    expect(patched.body).toEqual({ notifications: { friends: true }, volume: 7 });
    const stale = await call(api('/me/preferences'), { method: 'PUT', token: a.accessToken, body: {}, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect((await call(api('/me/preferences'), { token: a.accessToken })).headers.get('etag')).toBe(patched.headers.get('etag'));

    const big = await call(api('/me/preferences'), { method: 'PUT', token: a.accessToken, body: { blob: 'x'.repeat(17_000) } });
    expect(big.status).toBe(413);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const tooDeep = await call(api('/me/preferences'), { method: 'PUT', token: a.accessToken, body: { deep } });
    expect(tooDeep.status).toBe(400);
    expect((await call(api('/me/preferences'), { method: 'PUT', token: a.accessToken, body: [1, 2] })).status).toBe(400);
  });
});

describe('player search', () => {
  it('finds a renamed player by the new name only, and a hidden one by neither', async () => {
    const tag = `rnm${Date.now().toString(36)}`;
    const [renamed, hidden, seeker] = [await signUp(stack, { ...newPlayer(), username: `${tag}_old` }), await signUp(stack, { ...newPlayer(), username: `${tag}_hid` }), await signUp(stack)];
    const rename = (who: Player, username: string) => call(api(`/users/${who.user.id}`), { method: 'PUT', token: who.accessToken, body: { username } });
    expect((await rename(renamed, `${tag}_new`)).status).toBe(200);
    expect((await search(seeker, `${tag}_old`)).body.items).toEqual([]);
    expect(playerPage.parse((await search(seeker, `${tag}_new`)).body).items).toEqual([expect.objectContaining({ id: renamed.user.id, username: `${tag}_new` })]);

    expect((await setPrivacy(hidden, { searchable: false })).status).toBe(200);
    expect((await rename(hidden, `${tag}_hid2`)).status).toBe(200);
    expect((await search(seeker, `${tag}_hid`)).body.items).toEqual([]);
  });

  it('is by username prefix, case-insensitive, paged, and forgets deleted players', async () => {
    const tag = `srch${Date.now().toString(36)}`;
    const players: Player[] = [];
    for (const suffix of ['a', 'B', 'c']) players.push(await signUp(stack, { ...newPlayer(), username: `${tag}_${suffix}` }));
    const [first] = players as [Player];
    const all = playerPage.parse((await search(first, tag.toUpperCase())).body);
    expect(all.items.map((i) => i.username)).toEqual([`${tag}_a`, `${tag}_B`, `${tag}_c`]);
    const page = playerPage.parse((await call(api(`/players?search=${tag}&limit=2`), { token: first.accessToken })).body);
    expect(page.items).toHaveLength(2);
    const rest = playerPage.parse((await call(api(`/players?search=${tag}&limit=2&cursor=${page.cursor}`), { token: first.accessToken })).body);
    expect(rest.items.map((i) => i.username)).toEqual([`${tag}_c`]);
    expect(rest.cursor).toBeNull();
    expect((await call(api('/players?search=a%20b'), { token: first.accessToken })).status).toBe(400);
    expect((await call(api('/players'), { token: first.accessToken })).status).toBe(400);
    expect((await call(api(`/players?search=${tag}&cursor=bm9wZQ`), { token: first.accessToken })).status).toBe(400);

    const gone = players[2]!;
    await follow(gone, first);
    expect((await call(api(`/users/${gone.user.id}`), { method: 'DELETE', token: gone.accessToken, body: { password: gone.player.password } })).status).toBe(204);
    expect((await search(first, tag)).body.items).toHaveLength(2);
    expect((await profile(first.accessToken, first)).body).toMatchObject({ followers: 0 });
  });

  it('can be rebuilt from the users container by an admin, batch by batch', async () => {
    let cursor: string | null = null;
    let indexed = 0;
    do {
      const res: { status: number; body: { indexed: number; cursor: string | null } } = await call(api('/admin/players/reindex'), { token: admin.accessToken, body: cursor ? { cursor } : {} });
      expect(res.status).toBe(200);
      indexed += res.body.indexed;
      cursor = res.body.cursor;
    } while (cursor);
    expect(indexed).toBeGreaterThan(5);
    const a = await signUp(stack);
    expect((await call(api('/admin/players/reindex'), { token: a.accessToken, body: {} })).status).toBe(403);
  });
});

describe('reports', () => {
  it('reach the admin queue once per reporter and target; a ban from it ends the player’s sessions at once', async () => {
    const reporter = await signUp(stack);
    const cheat = await signUp(stack);
    const filed = await call(api(`/users/${cheat.user.id}/reports`), { token: reporter.accessToken, body: { category: 'cheating', details: 'aimbot' } });
    expect(filed.status).toBe(201);
    const report = filedReport.parse(filed.body);
    expect((await call(api(`/users/${cheat.user.id}/reports`), { token: reporter.accessToken, body: { category: 'spam' } })).status).toBe(409);
    expect((await call(api(`/users/${cheat.user.id}/reports`), { token: reporter.accessToken, body: { category: 'rude' } })).status).toBe(400);
    expect((await call(api(`/users/${reporter.user.id}/reports`), { token: reporter.accessToken, body: { category: 'spam' } })).status).toBe(400);

    expect((await call(api('/admin/reports?status=open'), { token: reporter.accessToken })).status).toBe(403);
    const queue = reportPage.parse((await call(api('/admin/reports?status=open&limit=100'), { token: admin.accessToken })).body);
    expect(queue.items.find((r) => r.id === report.id)).toMatchObject({ reporterId: reporter.user.id, targetId: cheat.user.id, category: 'cheating', details: 'aimbot' });

    expect((await call(api('/me'), { token: cheat.accessToken })).status).toBe(200);
    const resolved = await call<{ report: { status: string }; account: { status: string } }>(api(`/admin/reports/${report.id}/resolve`), {
      token: admin.accessToken,
      body: { action: 'ban', note: 'confirmed aimbot' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.report.status).toBe('resolved');
    expect(resolved.body.account.status).toBe('banned');
    expect((await call(api('/me'), { token: cheat.accessToken })).status).toBe(401);
    expect((await call(api('/token/refresh'), { body: { refreshToken: cheat.refreshToken } })).status).toBe(401);
    expect((await call(api(`/admin/reports/${report.id}/resolve`), { token: admin.accessToken, body: { action: 'dismiss', note: 'again' } })).status).toBe(409);
    const closed = reportPage.parse((await call(api('/admin/reports?status=resolved&limit=100'), { token: admin.accessToken })).body);
    expect(closed.items.find((r) => r.id === report.id)?.resolution).toMatchObject({ action: 'ban', note: 'confirmed aimbot', adminId: admin.user.id });

    // Resolved, the reporter may report again; the per-reporter limit (3 here) still holds.
    const others = [await signUp(stack), await signUp(stack), await signUp(stack)];
    const statuses = [];
    for (const other of others) statuses.push((await call(api(`/users/${other.user.id}/reports`), { token: reporter.accessToken, body: { category: 'spam' } })).status);
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('a suspension from a report carries its end date; warn and dismiss leave the account alone', async () => {
    const reporter = await signUp(stack);
    const target = await signUp(stack);
    const filed = filedReport.parse((await call(api(`/users/${target.user.id}/reports`), { token: reporter.accessToken, body: { category: 'name' } })).body);
    const warned = await call<{ account: null }>(api(`/admin/reports/${filed.id}/resolve`), { token: admin.accessToken, body: { action: 'warn', note: 'rename please' } });
    expect(warned.body.account).toBeNull();
    expect((await call(api('/me'), { token: target.accessToken })).status).toBe(200);
    const again = filedReport.parse((await call(api(`/users/${target.user.id}/reports`), { token: reporter.accessToken, body: { category: 'name' } })).body);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const suspended = await call<{ account: { status: string; statusUntil: string } }>(api(`/admin/reports/${again.id}/resolve`), {
      token: admin.accessToken,
      body: { action: 'suspend', note: 'still not renamed', until },
    });
    expect(suspended.body.account).toMatchObject({ status: 'suspended', statusUntil: until });
    expect((await call(api('/me'), { token: target.accessToken })).status).toBe(401);
    expect((await call(api('/admin/reports/nope/resolve'), { token: admin.accessToken, body: { action: 'dismiss', note: 'x' } })).status).toBe(404);
    expect((await call(api(`/admin/reports/${again.id}/resolve`), { token: admin.accessToken, body: { action: 'kick', note: 'x' } })).status).toBe(400);
  });
});

describe('events', () => {
  it('userFollowed, userUnfollowed, userBlocked and userReported reach the audit trail of the right player, valid against their schemas', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    await follow(a, b);
    await call(api(`/me/following/${b.user.id}`), { method: 'DELETE', token: a.accessToken });
    await call(api(`/me/blocks/${b.user.id}`), { method: 'POST', token: a.accessToken });
    await call(api(`/users/${b.user.id}/reports`), { token: a.accessToken, body: { category: 'spam' } });
    const trail = await waitForEvents(stack, a.user.id, a.accessToken, { userFollowed: 1, userUnfollowed: 1, userBlocked: 1, userReported: 1 });
    for (const type of ['userFollowed', 'userUnfollowed', 'userBlocked', 'userReported'] as const) {
      const event = trail.find((e) => e.type === type);
      expect(event?.data['targetUserId'], type).toBe(b.user.id);
      expect(EVENT_DATA_SCHEMAS[type].safeParse(event?.data).success, type).toBe(true);
    }
    // The blocked and reported player reads neither in their own trail.
    const theirs = await auditTrail(stack, b.user.id, b.accessToken);
    expect(theirs.filter((e) => ['userBlocked', 'userReported'].includes(e.type))).toEqual([]);
  });
});
