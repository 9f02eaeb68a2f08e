/** The Web PubSub stand-in driven by the official SDK (@azure/web-pubsub), with real `ws` clients. */
import { createHmac } from 'node:crypto';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startWebPubSubStandIn, type WebPubSubStandIn } from '../../infra/webpubsub/index.js';
import { TestSocket } from '../support/webpubsub.js';

let standIn: WebPubSubStandIn;
let service: WebPubSubServiceClient;
const opened: TestSocket[] = [];

beforeAll(async () => {
  standIn = await startWebPubSubStandIn();
  service = new WebPubSubServiceClient(standIn.connectionString, 'game', { allowInsecureConnection: true });
});
afterAll(async () => {
  for (const socket of opened) socket.ws.terminate();
  await standIn.stop();
});

/** A client on a token from getClientAccessToken; returns it with its connection id. */
async function connect(options: { userId?: string; groups?: string[]; roles?: string[] } = {}, protocol?: string) {
  const { url } = await service.getClientAccessToken(options);
  const before = new Set(standIn.connections().map((c) => c.connectionId));
  const socket = await TestSocket.open(url, protocol);
  opened.push(socket);
  const connection = standIn.connections().find((c) => !before.has(c.connectionId));
  if (!connection) throw new Error('the stand-in lists no new connection');
  return { socket, id: connection.connectionId };
}

describe('client tokens', () => {
  test('a getClientAccessToken token connects with its user id, groups and roles', async () => {
    const { id } = await connect({ userId: 'alice', groups: ['lobby'], roles: ['webpubsub.sendToGroup.lobby'] });
    expect(standIn.connections('game').find((c) => c.connectionId === id)).toMatchObject({
      userId: 'alice',
      groups: ['lobby'],
      roles: ['webpubsub.sendToGroup.lobby'],
      subprotocol: null,
    });
  });

  test('forged, expired and other-hub tokens are refused with 401', async () => {
    const key = new TextEncoder().encode(standIn.accessKey);
    const aud = `${standIn.endpoint}/client/hubs/game`;
    const forged = await new SignJWT({ sub: 'mallory' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').setAudience(aud).sign(new TextEncoder().encode('not-the-key'));
    const expired = await new SignJWT({ sub: 'bob' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).setAudience(aud).sign(key);
    const { token: otherHub } = await new WebPubSubServiceClient(standIn.connectionString, 'other', { allowInsecureConnection: true }).getClientAccessToken();
    for (const token of [forged, expired, otherHub, 'not-a-jwt']) {
      await expect(TestSocket.open(`ws://127.0.0.1:${standIn.port}/client/hubs/game?access_token=${token}`)).rejects.toMatchObject({ status: 401 });
    }
    await expect(TestSocket.open(`ws://127.0.0.1:${standIn.port}/client/hubs/game`)).rejects.toMatchObject({ status: 401 });
  });
});

describe('sends', () => {
  test('sendToAll: JSON and text arrive as text frames, binary as a binary frame; json clients get message frames', async () => {
    const plain = await connect();
    const json = await connect({}, 'json.webpubsub.azure.v1');
    expect(await json.socket.nextJson()).toMatchObject({ type: 'system', event: 'connected', connectionId: json.id });

    await service.sendToAll({ hello: 'world' });
    await service.sendToAll('plain words', { contentType: 'text/plain' });
    await service.sendToAll(Buffer.from([1, 2, 3]));

    expect(await plain.socket.next()).toMatchObject({ text: '{"hello":"world"}', isBinary: false });
    expect(await plain.socket.next()).toMatchObject({ text: 'plain words', isBinary: false });
    const binary = await plain.socket.next();
    expect(binary.isBinary).toBe(true);
    expect([...binary.data]).toEqual([1, 2, 3]);

    expect(await json.socket.nextJson()).toEqual({ type: 'message', from: 'server', dataType: 'json', data: { hello: 'world' } });
    expect(await json.socket.nextJson()).toEqual({ type: 'message', from: 'server', dataType: 'text', data: 'plain words' });
    expect(await json.socket.nextJson()).toEqual({ type: 'message', from: 'server', dataType: 'binary', data: 'AQID' });
  });

  test('sendToAll skips excluded connections', async () => {
    const kept = await connect();
    const left = await connect();
    await service.sendToAll('not for you', { contentType: 'text/plain', excludedConnections: [left.id] });
    expect((await kept.socket.next()).text).toBe('not for you');
    expect(await left.socket.quiet()).toBe(true);
  });

  test('sendToUser reaches every connection of the user and no one else; sendToConnection one connection', async () => {
    const first = await connect({ userId: 'carol' });
    const second = await connect({ userId: 'carol' });
    const other = await connect({ userId: 'dave' });
    await service.sendToUser('carol', { to: 'carol' });
    expect(JSON.parse((await first.socket.next()).text)).toEqual({ to: 'carol' });
    expect(JSON.parse((await second.socket.next()).text)).toEqual({ to: 'carol' });
    await service.sendToConnection(second.id, 'just you', { contentType: 'text/plain' });
    expect((await second.socket.next()).text).toBe('just you');
    expect(await first.socket.quiet()).toBe(true);
    expect(await other.socket.quiet()).toBe(true);
  });
});

describe('groups', () => {
  test('connections join and leave groups; group sends reach members only', async () => {
    const member = await connect();
    const outsider = await connect();
    const room = service.group('room 1');
    await room.addConnection(member.id);
    expect(standIn.groupsOf(member.id)).toEqual(['room 1']);
    expect(await service.groupExists('room 1')).toBe(true);

    await room.sendToAll({ move: 'e4' });
    expect(JSON.parse((await member.socket.next()).text)).toEqual({ move: 'e4' });
    expect(await outsider.socket.quiet()).toBe(true);

    await room.removeConnection(member.id);
    expect(standIn.groupsOf(member.id)).toEqual([]);
    expect(await service.groupExists('room 1')).toBe(false);
    await room.sendToAll('after leaving', { contentType: 'text/plain' });
    expect(await member.socket.quiet()).toBe(true);
  });

  test('users join groups with all their connections, now and later', async () => {
    const first = await connect({ userId: 'erin' });
    await service.group('erins').addUser('erin');
    const later = await connect({ userId: 'erin' });
    expect(standIn.groupsOf(first.id)).toEqual(['erins']);
    expect(standIn.groupsOf(later.id)).toEqual(['erins']);

    await service.group('erins').removeUser('erin');
    expect(standIn.groupsOf(first.id)).toEqual([]);
    await service.group('a').addUser('erin');
    await service.group('b').addUser('erin');
    await service.removeUserFromAllGroups('erin');
    expect(standIn.groupsOf(later.id)).toEqual([]);

    await service.group('c').addConnection(first.id);
    await service.removeConnectionFromAllGroups(first.id);
    expect(standIn.groupsOf(first.id)).toEqual([]);
  });

  test('permissions granted over REST let a json client join a group', async () => {
    const { socket, id } = await connect({}, 'json.webpubsub.azure.v1');
    await socket.nextJson(); // connected
    socket.send({ type: 'joinGroup', group: 'vip', ackId: 1 });
    expect(await socket.nextJson()).toMatchObject({ type: 'ack', ackId: 1, success: false, error: { name: 'Forbidden' } });
    await service.grantPermission(id, 'joinLeaveGroup', { targetName: 'vip' });
    expect(await service.hasPermission(id, 'joinLeaveGroup', { targetName: 'vip' })).toBe(true);
    socket.send({ type: 'joinGroup', group: 'vip', ackId: 2 });
    expect(await socket.nextJson()).toEqual({ type: 'ack', ackId: 2, success: true });
    expect(standIn.groupsOf(id)).toEqual(['vip']);
    await service.revokePermission(id, 'joinLeaveGroup', { targetName: 'vip' });
    expect(await service.hasPermission(id, 'joinLeaveGroup', { targetName: 'vip' })).toBe(false);
  });

  test('a json client gets pong for ping', async () => {
    const { socket } = await connect({}, 'json.webpubsub.azure.v1');
    await socket.nextJson(); // connected
    socket.send({ type: 'ping' });
    expect(await socket.nextJson()).toEqual({ type: 'pong' });
  });

  test('OData filters are refused, not ignored', async () => {
    await expect(service.addConnectionsToGroups(['g1'], "userId eq 'u1'")).rejects.toMatchObject({ statusCode: 400, code: 'NotSupported' });
    await expect(service.sendToAll({ a: 1 }, { filter: "userId eq 'u1'" })).rejects.toMatchObject({ statusCode: 400 });
  });

  test('adding an unknown connection to a group fails with 404', async () => {
    await expect(service.group('g').addConnection('no-such-connection')).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('closing and exists', () => {
  test('closeConnection closes the socket with the reason; the connection is gone', async () => {
    const { socket, id } = await connect({ userId: 'frank' });
    expect(await service.connectionExists(id)).toBe(true);
    expect(await service.userExists('frank')).toBe(true);
    await service.closeConnection(id, { reason: 'bye now' });
    expect(await socket.closed).toEqual({ code: 1000, reason: 'bye now' });
    await expect.poll(() => service.connectionExists(id)).toBe(false);
    expect(await service.userExists('frank')).toBe(false);
  });

  test('closeUserConnections closes every connection of the user', async () => {
    const first = await connect({ userId: 'grace' });
    const second = await connect({ userId: 'grace' });
    await service.closeUserConnections('grace', { reason: 'kicked' });
    expect((await first.socket.closed).reason).toBe('kicked');
    expect((await second.socket.closed).reason).toBe('kicked');
  });

  test('group closeAllConnections closes the members only; a json client hears why first', async () => {
    const member = await connect({}, 'json.webpubsub.azure.v1');
    const outsider = await connect();
    await member.socket.nextJson(); // connected
    await service.group('table 7').addConnection(member.id);
    await service.group('table 7').closeAllConnections({ reason: 'table closed' });
    expect(await member.socket.nextJson()).toEqual({ type: 'system', event: 'disconnected', message: 'table closed' });
    expect((await member.socket.closed).reason).toBe('table closed');
    expect(await service.connectionExists(outsider.id)).toBe(true);
  });

  test('exists checks answer false for what never existed', async () => {
    expect(await service.groupExists('nobody-here')).toBe(false);
    expect(await service.userExists('nobody')).toBe(false);
    expect(await service.connectionExists('nothing')).toBe(false);
  });
});

describe('REST auth', () => {
  test('a client with the wrong access key is refused with 401', async () => {
    const wrong = new WebPubSubServiceClient(`Endpoint=http://127.0.0.1;Port=${standIn.port};AccessKey=wrong-key;Version=1.0;`, 'game', { allowInsecureConnection: true });
    await expect(wrong.sendToAll({ a: 1 })).rejects.toMatchObject({ statusCode: 401 });
    await expect(wrong.groupExists('lobby')).rejects.toMatchObject({ statusCode: 401 });
  });

  test('a token signed with the key but for another URL, or unsigned, is refused', async () => {
    const url = `${standIn.endpoint}/api/hubs/game/:send?api-version=2024-12-01`;
    const key = new TextEncoder().encode(standIn.accessKey);
    const forOtherUrl = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('1h').setAudience(`${standIn.endpoint}/api/hubs/other/:send`).sign(key);
    const right = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('1h').setAudience(url).sign(key);
    const header = Buffer.from('{"alg":"none"}').toString('base64url');
    const payload = Buffer.from(JSON.stringify({ aud: url, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    const post = (token: string) => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: 'x' });
    expect((await post(forOtherUrl)).status).toBe(401);
    expect((await post(`${header}.${payload}.`)).status).toBe(401);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await post(right)).status).toBe(202);
    // The key is the UTF-8 bytes of the AccessKey: a signature made that way by hand verifies too.
    const signingInput = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ aud: url, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url')}`;
    const byHand = `${signingInput}.${createHmac('sha256', Buffer.from(standIn.accessKey, 'utf8')).update(signingInput).digest('base64url')}`;
    expect((await post(byHand)).status).toBe(202);
  });
});

describe('programmatic control', () => {
  test('stop closes every client (1012) and start listens again on the same port', async () => {
    const { socket } = await connect();
    const port = standIn.port;
    await standIn.stop();
    expect((await socket.closed).code).toBe(1012);
    expect(standIn.connections()).toEqual([]);
    await standIn.start();
    expect(standIn.port).toBe(port);
    const again = await connect({ userId: 'back' });
    expect(standIn.connections().map((c) => c.connectionId)).toEqual([again.id]);
  });
});
