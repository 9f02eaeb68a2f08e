/** The realtime use cases with a recording gateway: connect, the client protocol, where events go. */
import { describe, expect, it } from 'vitest';
import type { RealtimeGateway } from '../../functions/core/realtime/ports.js';
import { acceptConnection, handleClientMessage, pushEvent, staffVisibility, type RealtimeDeps } from '../../functions/core/realtime/realtime.js';
import { userEvent } from '../../functions/core/events/events.js';
import type { StoredUser } from '../../functions/core/accounts/users.js';
import { FakeUsers } from '../support/fakes.js';

class RecordingGateway implements RealtimeGateway {
  readonly calls: string[] = [];
  readonly published: { group: string; message: object }[] = [];
  async clientAccess(userId: string, minutes: number) {
    return { url: `ws://hub/?u=${userId}&m=${minutes}`, accessToken: 't' };
  }
  async join(connectionId: string, group: string) {
    this.calls.push(`join ${connectionId} ${group}`);
  }
  async leave(connectionId: string, group: string) {
    this.calls.push(`leave ${connectionId} ${group}`);
  }
  async publish(group: string, message: object) {
    this.published.push({ group, message });
  }
  async closeUser(userId: string, reason: string) {
    this.calls.push(`close ${userId} ${reason}`);
  }
}

function user(id: string, patch: Partial<StoredUser> = {}): StoredUser {
  const at = '2026-01-01T00:00:00.000Z';
  return { id, username: id, email: `${id}@example.com`, displayName: id, avatarUrl: null, roles: ['player'], status: 'active', statusReason: null, statusUntil: null, passwordHash: 'x', createdAt: at, updatedAt: at, ...patch };
}

function setup() {
  const users = new FakeUsers();
  for (const u of [user('alice'), user('boss', { roles: ['player', 'admin'] }), user('cheater', { status: 'suspended' })]) users.byId.set(u.id, u);
  const gateway = new RecordingGateway();
  const sightings: string[] = [];
  const deps: RealtimeDeps = { gateway, visibility: staffVisibility(users), users, tokenMinutes: 60, sighted: async (id) => void sightings.push(id) };
  return { deps, gateway, sightings };
}

describe('connect', () => {
  it('accepts an active account into its own user channel and counts it as a sighting', async () => {
    const { deps, sightings } = setup();
    expect(await acceptConnection(deps, 'alice')).toEqual({ userId: 'alice', groups: ['user.alice'] });
    expect(sightings).toEqual(['alice']);
    expect(await acceptConnection(deps, 'client:dev-game-server')).toEqual({ userId: 'client:dev-game-server', groups: ['user.client:dev-game-server'] });
  });

  it('refuses a suspended, an unknown and an anonymous account', async () => {
    const { deps, sightings } = setup();
    await expect(acceptConnection(deps, 'cheater')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(acceptConnection(deps, 'ghost')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(acceptConnection(deps, undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(sightings).toEqual([]);
  });
});

describe('client protocol', () => {
  const alice = { connectionId: 'c1', userId: 'alice' };

  it('subscribes and unsubscribes, joining and leaving the group', async () => {
    const { deps, gateway } = setup();
    expect(await handleClientMessage(deps, alice, '{"action":"subscribe","topic":"game_updates"}')).toEqual({ message: 'Subscribed to game_updates' });
    expect(await handleClientMessage(deps, alice, '{"action":"unsubscribe","topic":"game_updates"}')).toEqual({ message: 'Unsubscribed from game_updates' });
    expect(gateway.calls).toEqual(['join c1 game_updates', 'leave c1 game_updates']);
  });

  it('lets admins, game servers and the player themself follow presence; other players get an error', async () => {
    const { deps, gateway } = setup();
    const frame = '{"action":"subscribe","topic":"presence:alice"}';
    expect(await handleClientMessage(deps, { connectionId: 'c2', userId: 'boss' }, frame)).toEqual({ message: 'Subscribed to presence:alice' });
    expect(await handleClientMessage(deps, { connectionId: 'c3', userId: 'client:gs' }, frame)).toEqual({ message: 'Subscribed to presence:alice' });
    expect(await handleClientMessage(deps, { connectionId: 'c4', userId: 'cheater' }, frame)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await handleClientMessage(deps, alice, '{"action":"subscribe","topic":"user:boss"}')).toMatchObject({ code: 'FORBIDDEN' });
    expect(gateway.calls).toEqual(['join c2 presence.alice', 'join c3 presence.alice']);
  });

  it('answers unknown actions, unknown topics and non-JSON with an error message', async () => {
    const { deps, gateway } = setup();
    expect(await handleClientMessage(deps, alice, '{"action":"jump","topic":"game_updates"}')).toMatchObject({ code: 'UNKNOWN_ACTION' });
    expect(await handleClientMessage(deps, alice, '{"action":"subscribe","topic":"presence:"}')).toMatchObject({ code: 'UNKNOWN_TOPIC' });
    expect(await handleClientMessage(deps, alice, '{"action":"subscribe"}')).toMatchObject({ code: 'UNKNOWN_TOPIC' });
    expect(await handleClientMessage(deps, alice, '[1,2]')).toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(await handleClientMessage(deps, alice, 'hello')).toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(gateway.calls).toEqual([]);
  });
});

describe('pushes', () => {
  const at = '2026-01-01T00:00:00.000Z';

  it('routes each event to its topic with its type, id and data', async () => {
    const { deps, gateway } = setup();
    await pushEvent(deps, userEvent('e1', 'userStatusChange', { userId: 'alice', newStatus: 'online', previousStatus: 'offline', timestamp: at }));
    await pushEvent(deps, userEvent('e2', 'gameDeleted', { userId: 'boss', gameId: 'g1', timestamp: at }));
    await pushEvent(deps, userEvent('e3', 'userProfileUpdated', { userId: 'alice', fields: ['displayName'], timestamp: at }));
    await pushEvent(deps, userEvent('e4', 'userSignUp', { userId: 'x', timestamp: at, userDetails: { username: 'x', email: 'x@example.com' } }));
    expect(gateway.published).toEqual([
      { group: 'presence.alice', message: { topic: 'presence:alice', type: 'userStatusChange', id: 'e1', data: expect.objectContaining({ newStatus: 'online' }) } },
      { group: 'game_updates', message: { topic: 'game_updates', type: 'gameDeleted', id: 'e2', data: { userId: 'boss', gameId: 'g1', timestamp: at } } },
      { group: 'user.alice', message: expect.objectContaining({ topic: 'user:alice', type: 'userProfileUpdated', id: 'e3' }) },
    ]);
  });

  it('closes the connections of a suspended or banned account after telling it, not of a reinstated one', async () => {
    const { deps, gateway } = setup();
    await pushEvent(deps, userEvent('e5', 'userAccountStatusChanged', { userId: 'alice', status: 'banned', reason: 'cheating', until: null, timestamp: at }));
    await pushEvent(deps, userEvent('e6', 'userAccountStatusChanged', { userId: 'alice', status: 'active', reason: null, until: null, timestamp: at }));
    expect(gateway.published.map((p) => p.group)).toEqual(['user.alice', 'user.alice']);
    expect(gateway.calls).toEqual(['close alice account banned']);
  });
});
