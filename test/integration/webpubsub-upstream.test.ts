/**
 * The Web PubSub stand-in calling an event handler as the service does: the abuse-protection
 * handshake, CloudEvents headers and signature, connect answers (accept, shape, refuse) and user
 * events whose answers go back to the client.
 */
import { createHmac } from 'node:crypto';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startWebPubSubStandIn, type WebPubSubStandIn } from '../../infra/webpubsub/index.js';
import { startEventHandler, TestSocket, type HandlerReply, type HandlerRequest } from '../support/webpubsub.js';

let handler: Awaited<ReturnType<typeof startEventHandler>>;
let standIn: WebPubSubStandIn;
let service: WebPubSubServiceClient;
/** What the handler answers next; tests replace it. */
let reply: (request: HandlerRequest) => HandlerReply;
const opened: TestSocket[] = [];

const acceptAll = (request: HandlerRequest): HandlerReply =>
  request.method === 'OPTIONS' ? { status: 200, headers: { 'WebHook-Allowed-Origin': '*' } } : { status: 204 };

beforeAll(async () => {
  handler = await startEventHandler((request) => reply(request));
  standIn = await startWebPubSubStandIn({ upstream: `${handler.url}/api/realtime/upstream` });
  service = new WebPubSubServiceClient(standIn.connectionString, 'game', { allowInsecureConnection: true });
});
afterEach(() => {
  for (const socket of opened.splice(0)) socket.ws.terminate();
  reply = acceptAll;
});
afterAll(async () => {
  await standIn.stop();
  await handler.stop();
});
reply = acceptAll;

async function open(userId: string, protocol?: string): Promise<TestSocket> {
  const { url } = await service.getClientAccessToken({ userId, roles: ['webpubsub.joinLeaveGroup.lobby'] });
  const socket = await TestSocket.open(`${url}&device=phone`, protocol);
  opened.push(socket);
  return socket;
}

const ofType = (type: string, userId: string) => (r: HandlerRequest) => r.headers['ce-type'] === type && r.headers['ce-userid'] === userId;

describe('event handler calls', () => {
  test('the handler is validated with OPTIONS, then gets connect, connected, message and disconnected as CloudEvents', async () => {
    const socket = await open('henry');
    const validation = handler.requests.find((r) => r.method === 'OPTIONS');
    expect(validation?.headers['webhook-request-origin']).toBe('127.0.0.1');
    expect(validation?.headers['ce-awpsversion']).toBe('1.0');

    const connect = await handler.waitFor(ofType('azure.webpubsub.sys.connect', 'henry'));
    const connectionId = String(connect.headers['ce-connectionid']);
    expect(connect.url).toBe('/api/realtime/upstream');
    expect(connect.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'ce-specversion': '1.0',
      'ce-awpsversion': '1.0',
      'ce-source': `/hubs/game/client/${connectionId}`,
      'ce-hub': 'game',
      'ce-eventname': 'connect',
      'webhook-request-origin': '127.0.0.1',
    });
    expect(connect.headers['ce-id']).toBeTruthy();
    expect(new Date(String(connect.headers['ce-time'])).toISOString()).toBe(connect.headers['ce-time']);
    const expected = `sha256=${createHmac('sha256', Buffer.from(standIn.accessKey, 'utf8')).update(connectionId).digest('hex')}`;
    expect(connect.headers['ce-signature']).toBe(expected);
    const body = JSON.parse(connect.body.toString()) as Record<string, Record<string, string[]> | string[]>;
    expect(body['claims']).toMatchObject({ sub: ['henry'], role: ['webpubsub.joinLeaveGroup.lobby'] });
    expect(body['query']).toEqual({ device: ['phone'] });
    expect(body['headers']).not.toHaveProperty('authorization');
    expect(body['subprotocols']).toEqual([]);

    await handler.waitFor(ofType('azure.webpubsub.sys.connected', 'henry'));
    socket.send('hello upstream');
    const message = await handler.waitFor(ofType('azure.webpubsub.user.message', 'henry'));
    expect(message.headers['content-type']).toBe('text/plain');
    expect(message.headers['ce-eventname']).toBe('message');
    expect(message.headers['ce-signature']).toBe(expected);
    expect(message.body.toString()).toBe('hello upstream');

    socket.send(Buffer.from([9, 8]));
    const binary = await handler.waitFor((r) => ofType('azure.webpubsub.user.message', 'henry')(r) && r.headers['content-type'] === 'application/octet-stream');
    expect([...binary.body]).toEqual([9, 8]);

    await socket.close();
    const disconnected = await handler.waitFor(ofType('azure.webpubsub.sys.disconnected', 'henry'));
    expect(JSON.parse(disconnected.body.toString())).toHaveProperty('reason');
    expect(handler.requests.filter((r) => r.method === 'OPTIONS')).toHaveLength(1);
  });

  test('a message answer (200 + body) comes back to a plain client as a raw frame', async () => {
    reply = (r) => (r.headers['ce-type'] === 'azure.webpubsub.user.message' ? { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `echo:${r.body.toString()}` } : acceptAll(r));
    const socket = await open('iris');
    socket.send('ping me');
    expect((await socket.next()).text).toBe('echo:ping me');
  });

  test('a connect answer sets user id, groups, roles, subprotocol and state', async () => {
    reply = (r) =>
      r.headers['ce-type'] === 'azure.webpubsub.sys.connect'
        ? {
            status: 200,
            headers: { 'content-type': 'application/json; charset=utf-8', 'ce-connectionState': Buffer.from('{"joinedAt":123}').toString('base64') },
            body: JSON.stringify({ userId: 'jack-renamed', groups: ['lobby'], roles: ['webpubsub.sendToGroup.lobby'], subprotocol: 'json.webpubsub.azure.v1' }),
          }
        : r.headers['ce-type'] === 'azure.webpubsub.user.chat'
          ? { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ seen: true }) }
          : acceptAll(r);
    const socket = await open('jack', 'json.webpubsub.azure.v1');
    expect(socket.ws.protocol).toBe('json.webpubsub.azure.v1');
    const connected = await socket.nextJson();
    expect(connected).toMatchObject({ type: 'system', event: 'connected', userId: 'jack-renamed' });
    const info = standIn.connections().find((c) => c.connectionId === connected['connectionId']);
    expect(info).toMatchObject({ userId: 'jack-renamed', groups: ['lobby'], subprotocol: 'json.webpubsub.azure.v1' });
    expect(info?.roles).toEqual(['webpubsub.joinLeaveGroup.lobby', 'webpubsub.sendToGroup.lobby']);

    socket.send({ type: 'event', event: 'chat', ackId: 1, dataType: 'json', data: { text: 'hi' } });
    expect(await socket.nextJson()).toEqual({ type: 'message', from: 'server', dataType: 'json', data: { seen: true } });
    expect(await socket.nextJson()).toEqual({ type: 'ack', ackId: 1, success: true });
    const chat = await handler.waitFor(ofType('azure.webpubsub.user.chat', 'jack-renamed'));
    expect(chat.headers).toMatchObject({ 'content-type': 'application/json', 'ce-subprotocol': 'json.webpubsub.azure.v1', 'ce-connectionstate': 'eyJqb2luZWRBdCI6MTIzfQ==' });
    expect(JSON.parse(chat.body.toString())).toEqual({ text: 'hi' });

    socket.send({ type: 'sendToGroup', group: 'lobby', ackId: 2, dataType: 'text', data: 'to the lobby' });
    expect(await socket.nextJson()).toEqual({ type: 'message', from: 'group', group: 'lobby', fromUserId: 'jack-renamed', dataType: 'text', data: 'to the lobby' });
    expect(await socket.nextJson()).toEqual({ type: 'ack', ackId: 2, success: true });
    socket.send({ type: 'sendToGroup', group: 'elsewhere', ackId: 3, dataType: 'text', data: 'no' });
    expect(await socket.nextJson()).toMatchObject({ type: 'ack', ackId: 3, success: false, error: { name: 'Forbidden' } });
  });

  test('a refused connect (401) refuses the upgrade with that status; no connection is kept', async () => {
    reply = (r) => (r.headers['ce-type'] === 'azure.webpubsub.sys.connect' ? { status: 401, body: 'nope' } : acceptAll(r));
    await expect(open('kate')).rejects.toMatchObject({ status: 401 });
    expect(standIn.connections().filter((c) => c.userId === 'kate')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(handler.requests.filter((r) => r.headers['ce-userid'] === 'kate').map((r) => r.headers['ce-type'])).toEqual(['azure.webpubsub.sys.connect']);
  });

  test('a failing message handler closes a plain socket with 1011 and acks a json event with InternalServerError', async () => {
    reply = (r) => (String(r.headers['ce-type']).startsWith('azure.webpubsub.user.') ? { status: 500 } : acceptAll(r));
    const plain = await open('liam');
    plain.send('boom');
    expect((await plain.closed).code).toBe(1011);
    const json = await open('mia', 'json.webpubsub.azure.v1');
    await json.nextJson(); // connected
    json.send({ type: 'event', event: 'chat', ackId: 7, dataType: 'text', data: 'boom' });
    expect(await json.nextJson()).toMatchObject({ type: 'ack', ackId: 7, success: false, error: { name: 'InternalServerError' } });
  });
});

test('a handler that fails abuse protection gets no events and clients are refused', async () => {
  const strict = await startEventHandler((r) => (r.method === 'OPTIONS' ? { status: 200, headers: { 'WebHook-Allowed-Origin': 'someone-else.example' } } : { status: 204 }));
  const guarded = await startWebPubSubStandIn({ upstream: `${strict.url}/upstream/{event}` });
  try {
    const client = new WebPubSubServiceClient(guarded.connectionString, 'game', { allowInsecureConnection: true });
    const { url } = await client.getClientAccessToken({ userId: 'nina' });
    await expect(TestSocket.open(url)).rejects.toMatchObject({ status: 500 });
    expect(strict.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['OPTIONS /upstream/validate']);
  } finally {
    await guarded.stop();
    await strict.stop();
  }
});
