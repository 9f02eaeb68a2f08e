/**
 * Realtime through the local stack: real `ws` clients on the Web PubSub stand-in, the host as its
 * event handler, pushes from the user-events topic's "realtime" subscription.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gameServerToken, logIn, makeAdmin, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';
import { TestSocket } from '../support/webpubsub.js';

const BOOTSTRAP = 'bootstrap-token-for-the-realtime-tests';
let stack: Stack;
let admin: Grant;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  stack = await startStack({ label: 'realtime', env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP } });
  admin = await makeAdmin(stack, BOOTSTRAP);
});
afterAll(async () => {
  for (const socket of sockets) socket.ws.terminate();
  await stack?.stop();
});

async function connect(token: string): Promise<TestSocket> {
  const negotiated = await call<{ url: string; accessToken: string; expiresIn: number }>(`${stack.api}/realtime/negotiate`, { method: 'POST', token });
  expect(negotiated.status, JSON.stringify(negotiated.body)).toBe(200);
  expect(negotiated.body.expiresIn).toBeGreaterThan(0);
  const socket = await TestSocket.open(negotiated.body.url);
  sockets.push(socket);
  return socket;
}

async function subscribe(socket: TestSocket, topic: string): Promise<Record<string, unknown>> {
  socket.send({ action: 'subscribe', topic });
  return socket.nextJson();
}

/** The next pushed message of this type, skipping others (earlier events of the same run). */
async function nextOfType(socket: TestSocket, type: string, match: (m: Record<string, unknown>) => boolean = () => true, timeoutMs = 5_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const message = await socket.nextJson(deadline - Date.now());
    if (message['type'] === type && match(message)) return message;
  }
  throw new Error(`no ${type} within ${timeoutMs} ms`);
}

const game = (amount: string) => ({ title: 'Realtime Racer', genre: 'Racing', price: { amount, currency: 'EUR' } });

describe('game_updates', () => {
  it('delivers an admin\'s edit within a second; unsubscribe stops delivery; bad frames get an error, not a dropped socket', async () => {
    const player = await signUp(stack);
    const watcher = await connect(player.accessToken);
    const control = await connect((await signUp(stack)).accessToken);
    expect(await subscribe(watcher, 'game_updates')).toEqual({ message: 'Subscribed to game_updates' });
    expect(await subscribe(control, 'game_updates')).toEqual({ message: 'Subscribed to game_updates' });

    watcher.send({ action: 'dance', topic: 'game_updates' });
    expect(await watcher.nextJson()).toMatchObject({ code: 'UNKNOWN_ACTION' });
    watcher.send({ action: 'subscribe', topic: 'weather' });
    expect(await watcher.nextJson()).toMatchObject({ code: 'UNKNOWN_TOPIC' });
    watcher.send('not json');
    expect(await watcher.nextJson()).toMatchObject({ code: 'INVALID_MESSAGE' });

    const created = await call(`${stack.api}/games`, { token: admin.accessToken, body: game('9.99') });
    expect(created.status).toBe(201);
    const gameId = created.body['gameId'] as string;
    const createdPush = await nextOfType(watcher, 'gameCreated', (m) => (m['data'] as { gameId: string }).gameId === gameId);
    expect(createdPush).toMatchObject({ topic: 'game_updates', id: expect.any(String), data: { userId: admin.user.id, game: { price: { amount: '9.99' } } } });

    const sentAt = Date.now();
    const updated = await call(`${stack.api}/games/${gameId}`, { method: 'PUT', token: admin.accessToken, body: game('12.50'), headers: { 'if-match': created.headers.get('etag') ?? '' } });
    expect(updated.status).toBe(200);
    const push = await nextOfType(watcher, 'gameUpdated', (m) => (m['data'] as { gameId: string }).gameId === gameId, 1_000);
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    expect(push).toMatchObject({ topic: 'game_updates', type: 'gameUpdated', data: { gameId, game: { price: { amount: '12.50', minorUnits: 1250 } } } });
    await nextOfType(control, 'gameUpdated', (m) => (m['data'] as { gameId: string }).gameId === gameId);

    watcher.send({ action: 'unsubscribe', topic: 'game_updates' });
    expect(await watcher.nextJson()).toEqual({ message: 'Unsubscribed from game_updates' });
    expect((await call(`${stack.api}/games/${gameId}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(204);
    // The control socket has it: had the watcher still been subscribed, it would have it too.
    await nextOfType(control, 'gameDeleted', (m) => (m['data'] as { gameId: string }).gameId === gameId);
    expect(await watcher.quiet(300)).toBe(true);
  });
});

describe('presence and the user channel', () => {
  it('pushes a player\'s logout and login to an admin and a game server following them; other players may not follow', async () => {
    const friend = await signUp(stack);
    const adminSocket = await connect(admin.accessToken);
    const serverSocket = await connect(await gameServerToken(stack));
    const stranger = await connect((await signUp(stack)).accessToken);
    const topic = `presence:${friend.user.id}`;
    expect(await subscribe(adminSocket, topic)).toEqual({ message: `Subscribed to ${topic}` });
    expect(await subscribe(serverSocket, topic)).toEqual({ message: `Subscribed to ${topic}` });
    expect(await subscribe(stranger, topic)).toMatchObject({ code: 'FORBIDDEN' });

    expect((await call(`${stack.api}/logout`, { method: 'POST', token: friend.accessToken })).status).toBe(204);
    const offline = (m: Record<string, unknown>) => (m['data'] as { newStatus: string }).newStatus === 'offline';
    for (const socket of [adminSocket, serverSocket]) {
      expect(await nextOfType(socket, 'userStatusChange', offline)).toMatchObject({ topic, data: { userId: friend.user.id, newStatus: 'offline' } });
    }
    await logIn(stack, friend.player);
    const online = (m: Record<string, unknown>) => (m['data'] as { newStatus: string }).newStatus === 'online';
    for (const socket of [adminSocket, serverSocket]) {
      expect(await nextOfType(socket, 'userStatusChange', online)).toMatchObject({ topic, id: expect.any(String), data: { previousStatus: 'offline' } });
    }
  });

  it('lets a follower see a player\'s presence when their privacy allows it (the default: followers), and not once unfollowed', async () => {
    const player = await signUp(stack);
    const follower = await signUp(stack);
    const topic = `presence:${player.user.id}`;
    const socket = await connect(follower.accessToken);
    expect(await subscribe(socket, topic)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await call(`${stack.api}/me/following/${player.user.id}`, { method: 'POST', token: follower.accessToken })).status).toBe(200);
    expect(await subscribe(socket, topic)).toEqual({ message: `Subscribed to ${topic}` });
    expect((await call(`${stack.api}/user-status`, { method: 'PUT', token: player.accessToken, body: { status: 'in-game' } })).status).toBe(200);
    const inGame = (m: Record<string, unknown>) => (m['data'] as { newStatus: string }).newStatus === 'in-game';
    expect(await nextOfType(socket, 'userStatusChange', inGame)).toMatchObject({ topic, data: { userId: player.user.id } });
    expect((await call(`${stack.api}/me/following/${player.user.id}`, { method: 'DELETE', token: follower.accessToken })).status).toBe(204);
    const other = await connect(follower.accessToken);
    expect(await subscribe(other, topic)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('tells a player on their own channel that their account was suspended, then closes the socket; a new connect is refused', async () => {
    const player = await signUp(stack);
    const socket = await connect(player.accessToken);
    const url = (await call<{ url: string }>(`${stack.api}/realtime/negotiate`, { method: 'POST', token: player.accessToken })).body.url;
    const suspended = await call(`${stack.api}/admin/users/${player.user.id}/account-status`, {
      method: 'PUT',
      token: admin.accessToken,
      body: { status: 'suspended', reason: 'cheating' },
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(await nextOfType(socket, 'userAccountStatusChanged')).toMatchObject({ topic: `user:${player.user.id}`, data: { status: 'suspended' } });
    const closed = await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000))]);
    expect(closed).toMatchObject({ reason: 'account suspended' });
    await expect(TestSocket.open(url)).rejects.toMatchObject({ status: 403 });
  });
});

describe('the upstream handler', () => {
  const connect = (headers: Record<string, string>) =>
    fetch(`${stack.api}/realtime/upstream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-type': 'azure.webpubsub.sys.connect', 'ce-connectionId': 'forged-1', 'ce-userId': admin.user.id, ...headers },
      body: JSON.stringify({ claims: {} }),
    });

  it('refuses calls without the hub\'s signature or with a forged one', async () => {
    expect((await connect({})).status).toBe(401);
    const forged = `sha256=${createHmac('sha256', 'not-the-key').update('forged-1').digest('hex')}`;
    expect((await connect({ 'ce-signature': forged })).status).toBe(401);
    const key = /AccessKey=([^;]+)/.exec(stack.webPubSubConnectionString ?? '')?.[1] ?? '';
    const otherConnection = `sha256=${createHmac('sha256', key).update('another-connection').digest('hex')}`;
    expect((await connect({ 'ce-signature': otherConnection })).status).toBe(401);
    const genuine = `sha256=${createHmac('sha256', key).update('forged-1').digest('hex')}`;
    expect((await connect({ 'ce-signature': genuine })).status).toBe(200);
  });

  it('answers abuse protection only for the hub\'s origin', async () => {
    const ok = await fetch(`${stack.api}/realtime/upstream`, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': '127.0.0.1' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('webhook-allowed-origin')).toBe('127.0.0.1');
    const other = await fetch(`${stack.api}/realtime/upstream`, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'evil.example.com' } });
    expect(other.status).toBe(400);
  });
});
