/** Presence and the activity pipeline over HTTP: track → buffer → sync → Cosmos, status and active users. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, runFunction } from '../support/events.js';
import { gameServerToken, logIn, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let server: string;
beforeAll(async () => {
  // Timers far away: the tests run them when they want (POST /admin/functions/{name}).
  stack = await startStack({
    label: 'activity',
    env: { ACTIVITY_SYNC_SCHEDULE: '0 0 0 1 1 *', PRESENCE_SWEEP_SCHEDULE: '0 0 0 1 1 *', PRESENCE_TIMEOUT_SECONDS: '2' },
  });
  server = await gameServerToken(stack);
});
afterAll(async () => {
  await stack?.stop();
});

interface Page<T> {
  items: T[];
  cursor: string | null;
}
interface ActivityItem {
  id: string;
  userId: string;
  activity: string;
  details: Record<string, unknown> | null;
  timestamp: string;
}

const track = (body: unknown, token = server) => call<{ accepted: number; rejected: { index: number; errors: { field: string }[] }[] }>(`${stack.api}/track-activity`, { body, token });
const history = (userId: string, query = '', token = server) => call<Page<ActivityItem>>(`${stack.api}/users/${userId}/activity${query}`, { token });

describe('track-activity', () => {
  it('buffers the valid items of a batch and names the bad ones by index', async () => {
    const player = await signUp(stack);
    const res = await track([
      { userId: player.user.id, activity: 'kill', details: { weapon: 'bow' } },
      { userId: player.user.id, activity: 'bad activity name' },
      { userId: player.user.id, activity: 'death', unknown: 1 },
      { userId: 'nope', activity: 'kill' },
    ]);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r) => [r.index, r.errors.map((e) => e.field)])).toEqual([[1, ['activity']], [2, ['unknown']], [3, ['userId']]]);
  });

  it('answers 400 when nothing in the request is valid, and 413 over the size limit', async () => {
    const none = await track({ userId: 'nope', activity: 'x' });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'userId' }] });
    const huge = await call(`${stack.api}/track-activity`, { token: server, raw: JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
  });

  it('is for game servers: a player token gets 403, no token 401', async () => {
    const player = await signUp(stack);
    expect((await track({ userId: player.user.id, activity: 'kill' }, player.accessToken)).status).toBe(403);
    expect((await call(`${stack.api}/track-activity`, { body: { userId: player.user.id, activity: 'kill' } })).status).toBe(401);
    expect((await call(`${stack.api}/user-activity`, { body: { userId: player.user.id, activity: 'kill' }, token: player.accessToken })).status).toBe(403);
  });
});

describe('from track-activity to Cosmos', () => {
  it('shows buffered items at once, syncs them, and keeps one document per id across retries', async () => {
    const player = await signUp(stack);
    const userId = player.user.id;
    const base = Date.now() - 60_000;
    const batch = Array.from({ length: 30 }, (_, i) => ({ id: `match-7-${i}`, userId, activity: i % 3 ? 'kill' : 'death', timestamp: new Date(base + i * 1000).toISOString() }));
    expect((await track(batch)).body.accepted).toBe(30);
    expect((await track(batch.slice(0, 10))).body.accepted).toBe(10); // a retry of part of it

    // Before any sync: the buffer is merged in, newest first, each id once.
    const before = await history(userId, '?limit=50');
    expect(before.status).toBe(200);
    expect(before.body.items.map((i) => i.id)).toEqual(batch.map((b) => b.id).reverse());

    await runFunction(stack, 'syncActivity');
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page<ActivityItem> } = await history(userId, `?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(7);
      pages.push(...page.body.items.map((i) => i.id));
      cursor = page.body.cursor;
    } while (cursor);
    expect(pages).toEqual(batch.map((b) => b.id).reverse());

    const since = await history(userId, `?since=${encodeURIComponent(new Date(base + 25_000).toISOString())}`);
    expect(since.body.items.map((i) => i.id)).toEqual(['match-7-29', 'match-7-28', 'match-7-27', 'match-7-26', 'match-7-25']);

    const stats = await call<{ total: number; counts: Record<string, number>; lastActivity: { id: string } }>(`${stack.api}/users/${userId}/stats`, { token: player.accessToken });
    expect(stats.body).toMatchObject({ total: 30, counts: { kill: 20, death: 10 }, lastActivity: { id: 'match-7-29' } });
  });

  it('lets the owner and game servers read history, and nobody else', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    expect((await history(a.user.id, '', a.accessToken)).status).toBe(200);
    expect((await history(a.user.id, '', b.accessToken)).status).toBe(403);
    expect((await history(a.user.id, '?cursor=bogus')).status).toBe(400);
  });

  it('writes user-activity straight to Cosmos, idempotently', async () => {
    const player = await signUp(stack);
    const item = { id: `durable-${randomUUID()}`, userId: player.user.id, activity: 'purchase', details: { sku: 'gem-pack' } };
    const first = await call<{ items: { id: string; created: boolean }[] }>(`${stack.api}/user-activity`, { token: server, body: item });
    expect(first.status).toBe(201);
    expect(first.body.items).toEqual([expect.objectContaining({ id: item.id, created: true })]);
    const again = await call<{ items: { created: boolean }[] }>(`${stack.api}/user-activity`, { token: server, body: item });
    expect(again.body.items[0]?.created).toBe(false);
    const stats = await call<{ total: number }>(`${stack.api}/users/${player.user.id}/stats`, { token: server });
    expect(stats.body.total).toBe(1);
    const bad = await call(`${stack.api}/user-activity`, { token: server, body: [item, { userId: player.user.id }] });
    expect(bad.status).toBe(400);
  });

  it('answers 400 naming details nested 10,000 levels deep, on both paths, not a 500', async () => {
    const player = await signUp(stack);
    const deep = '{"a":'.repeat(9_999) + '{}' + '}'.repeat(9_999);
    const item = (details: string) => `{"userId":"${player.user.id}","activity":"deep","details":${details}}`;
    for (const path of ['track-activity', 'user-activity']) {
      const single = await call<{ code: string; errors: { field: string }[] }>(`${stack.api}/${path}`, { token: server, raw: item(deep) });
      expect(single.status, `${path}: ${JSON.stringify(single.body)}`).toBe(400);
      expect(single.body.code).toBe('VALIDATION_FAILED');
      expect(single.body.errors.map((e) => e.field)).toEqual(['details']);
      const batch = await call<{ errors: { field: string }[] }>(`${stack.api}/${path}`, { token: server, raw: `[${item('{}')},${item('{}')},${item('{}')},${item(deep)}]` });
      expect(batch.status, path).toBe(400);
      expect(batch.body.errors.map((e) => e.field)).toEqual(['[3].details']);
    }
    const whole = await call<{ code: string }>(`${stack.api}/track-activity`, { token: server, raw: '['.repeat(10_000) + ']'.repeat(10_000) });
    expect(whole.status).toBe(400);
    expect(whole.body.code).toBe('VALIDATION_FAILED');
    // 32 levels is the limit, and fine.
    const fine = await call(`${stack.api}/track-activity`, { token: server, raw: item('{"a":'.repeat(31) + '{}' + '}'.repeat(31)) });
    expect(fine.status).toBe(202);
  });
});

describe('presence', () => {
  const status = (token: string, userId?: string) => call<{ userId: string; status: string; lastSeenAt: string | null; activity?: { name: string } }>(`${stack.api}/user-status${userId ? `?userId=${userId}` : ''}`, { token });

  it('makes a player online on login (through the presence subscriber) and on any call', async () => {
    const signedUp = await signUp(stack);
    const player: Grant = await logIn(stack, signedUp.player);
    const viaLogin = await eventually(() => status(server, player.user.id), (r) => r.body.status === 'online');
    expect(viaLogin.body.status).toBe('online');
    const own = await status(player.accessToken);
    expect(own.body).toMatchObject({ userId: player.user.id, status: 'online' });
    expect(Date.parse(own.body.lastSeenAt ?? '')).toBeGreaterThan(Date.now() - 10_000);
  });

  it('lets a player set in-game or away, not offline; by default players who do not follow them do not see it', async () => {
    const player = await signUp(stack);
    const other = await signUp(stack);
    const set = await call(`${stack.api}/user-status`, { method: 'PUT', token: player.accessToken, body: { status: 'in-game' } });
    expect(set.status).toBe(200);
    expect(set.body['status']).toBe('in-game');
    expect((await status(server, player.user.id)).body.status).toBe('in-game');
    expect((await call(`${stack.api}/user-status`, { method: 'PUT', token: player.accessToken, body: { status: 'offline' } })).status).toBe(400);
    expect((await status(other.accessToken, player.user.id)).status).toBe(403);
    expect((await call(`${stack.api}/user-status`, { method: 'PUT', token: server, body: { status: 'away' } })).status).toBe(403);
  });

  it('shows the latest tracked activity', async () => {
    const player = await signUp(stack);
    await track({ userId: player.user.id, activity: 'dungeon-enter' });
    expect((await status(server, player.user.id)).body.activity?.name).toBe('dungeon-enter');
  });

  it('marks players offline once the timeout passes, when the sweep runs', async () => {
    const player = await signUp(stack);
    await status(player.accessToken);
    await new Promise((r) => setTimeout(r, 2_500));
    await runFunction(stack, 'presenceSweep');
    expect((await status(server, player.user.id)).body.status).toBe('offline');
  });

  it('lists active users newest first with usernames, paginated, for game servers only', async () => {
    const players = [];
    for (let i = 0; i < 3; i++) {
      const p = await signUp(stack);
      await status(p.accessToken);
      players.push(p);
    }
    const first = await call<Page<{ userId: string; username: string; status: string; lastSeenAt: string }>>(`${stack.api}/active-users?limit=2`, { token: server });
    expect(first.status).toBe(200);
    expect(first.body.items.map((u) => u.userId)).toEqual([players[2]?.user.id, players[1]?.user.id]);
    expect(first.body.items[0]?.username).toBe(players[2]?.user.username);
    const second = await call<Page<{ userId: string }>>(`${stack.api}/active-users?limit=2&cursor=${first.body.cursor}`, { token: server });
    expect(second.body.items[0]?.userId).toBe(players[0]?.user.id);
    expect((await call(`${stack.api}/active-users`, { token: players[0]?.accessToken })).status).toBe(403);
    // A revoked token is answered 401, before any question of role.
    expect((await call(`${stack.api}/logout`, { method: 'POST', token: players[0]?.accessToken })).status).toBe(204);
    expect((await call(`${stack.api}/active-users`, { token: players[0]?.accessToken })).status).toBe(401);
  });
});
