/**
 * The client endpoint /client/hubs/{hub}?access_token=...: checks the token, asks the event
 * handler (connect), upgrades, then relays frames: plain sockets send `message` user events and
 * get raw data; `json.webpubsub.azure.v1` sockets join/leave/send to groups and send events, with acks.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { verifyAccessToken } from './auth.js';
import { allows, closeConnection, dataTypeOf, deliver, JSON_SUBPROTOCOL, type Connection, type DataType, type Hubs, type Payload } from './hub.js';
import type { Upstream, UpstreamAnswer } from './upstream.js';

export interface ClientContext {
  hubs: Hubs;
  accessKey: string;
  /** The event handler now (it may be set after start-up), or null. */
  upstream: () => Upstream | null;
  log: (line: string) => void;
}

const CONTENT_TYPES: Record<DataType, string> = { json: 'application/json', text: 'text/plain', binary: 'application/octet-stream' };
const SUPPORTED = new Set([JSON_SUBPROTOCOL]);

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Token claims as the connect event carries them: every value an array of strings. */
function claimsOf(payload: Record<string, unknown>): Record<string, string[]> {
  const claims: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(payload)) claims[name] = (Array.isArray(value) ? value : [value]).map(String);
  return claims;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

export function clientEndpoint(context: ClientContext) {
  const chosen = new WeakMap<IncomingMessage, string | false>();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (_offered, req) => chosen.get(req) ?? false });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const match = /^\/client\/hubs\/([^/]+)\/?$/.exec(url.pathname);
    if (!match?.[1]) return refuse(socket, 404, 'Not Found');
    const hub = decodeURIComponent(match[1]);
    const token = url.searchParams.get('access_token') ?? /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = token ? await verifyAccessToken(token, context.accessKey, `${url.origin}${url.pathname}`) : null;
    if (!claims) return refuse(socket, 401, 'Unauthorized');

    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const connection: Connection = {
      id: randomBytes(12).toString('base64url'),
      hub,
      userId: typeof claims.sub === 'string' ? claims.sub : null,
      groups: new Set(strings(claims['webpubsub.group'])),
      roles: new Set(strings(claims['role'])),
      subprotocol: offered.find((p) => SUPPORTED.has(p)) ?? null,
      state: null,
      socket: undefined as unknown as WebSocket,
    };

    const upstream = context.upstream();
    if (upstream) {
      const query: Record<string, string[]> = {};
      for (const [name, value] of url.searchParams) if (name !== 'access_token') (query[name] ??= []).push(value);
      const headers: Record<string, string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) if (name !== 'authorization' && value !== undefined) headers[name] = strings(value);
      const body = { claims: claimsOf(claims), query, headers, subprotocols: offered, clientCertificates: [] };
      let reply: UpstreamAnswer;
      try {
        reply = await upstream.call(connection, { type: 'sys', name: 'connect' }, Buffer.from(JSON.stringify(body)), 'application/json; charset=utf-8');
      } catch (error) {
        context.log(`connect event failed: ${error instanceof Error ? error.message : String(error)}`);
        return refuse(socket, 500, 'Internal Server Error');
      }
      if (reply.status >= 400 && reply.status < 500) return refuse(socket, reply.status, 'Refused');
      if (reply.status < 200 || reply.status >= 300) return refuse(socket, 500, 'Internal Server Error');
      connection.state = reply.headers.get('ce-connectionState');
      if (reply.status === 200 && reply.body.length > 0) {
        const answer = JSON.parse(reply.body.toString('utf8')) as { userId?: string; groups?: string[]; roles?: string[]; subprotocol?: string };
        if (answer.userId) connection.userId = answer.userId;
        for (const group of answer.groups ?? []) connection.groups.add(group);
        for (const role of answer.roles ?? []) connection.roles.add(role);
        if (answer.subprotocol !== undefined) connection.subprotocol = offered.includes(answer.subprotocol) ? answer.subprotocol : null;
      }
    }

    chosen.set(req, connection.subprotocol ?? false);
    wss.handleUpgrade(req, socket, head, (ws) => open(connection, ws));
  }

  function open(connection: Connection, ws: WebSocket): void {
    connection.socket = ws;
    context.hubs.add(connection);
    if (connection.subprotocol) ws.send(JSON.stringify({ type: 'system', event: 'connected', userId: connection.userId, connectionId: connection.id }));
    void notify(connection, 'connected', {});
    // One frame at a time, so the handler sees a connection's events in the order they were sent.
    let queue = Promise.resolve();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      queue = queue.then(() => onFrame(connection, bytes, isBinary)).catch((error: unknown) => {
        context.log(`frame from ${connection.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    ws.on('close', (_code, reason) => {
      context.hubs.remove(connection);
      void notify(connection, 'disconnected', { reason: reason.toString() });
    });
    ws.on('error', () => undefined);
  }

  /** connected/disconnected: the service does not wait for them or look at the answer. */
  async function notify(connection: Connection, name: 'connected' | 'disconnected', body: object): Promise<void> {
    const upstream = context.upstream();
    if (!upstream) return;
    await upstream
      .call(connection, { type: 'sys', name }, Buffer.from(JSON.stringify(body)), 'application/json; charset=utf-8')
      .catch((error: unknown) => context.log(`${name} event failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** A user event: the handler's 200 body goes back to the sender; a failure is an error. */
  async function userEvent(connection: Connection, name: string, payload: Payload): Promise<Payload | null> {
    const upstream = context.upstream();
    if (!upstream) return null;
    const reply = await upstream.call(connection, { type: 'user', name }, payload.data, CONTENT_TYPES[payload.dataType]);
    if (reply.status < 200 || reply.status >= 300) throw new Error(`event handler answered ${reply.status}`);
    connection.state = reply.headers.get('ce-connectionState') ?? connection.state;
    if (reply.status === 204 || reply.body.length === 0) return null;
    return { data: reply.body, dataType: dataTypeOf(reply.headers.get('content-type') ?? undefined) };
  }

  async function onFrame(connection: Connection, bytes: Buffer, isBinary: boolean): Promise<void> {
    if (!connection.subprotocol) {
      try {
        const back = await userEvent(connection, 'message', { data: bytes, dataType: isBinary ? 'binary' : 'text' });
        if (back) deliver([connection], back);
      } catch (error) {
        context.log(`message event of ${connection.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        closeConnection(connection, 'event handler failed', 1011);
      }
      return;
    }
    const frame = parseFrame(bytes);
    const ws = connection.socket;
    const ack = (ackId: unknown, error?: { name: string; message: string }) => {
      if (typeof ackId !== 'number') return;
      ws.send(JSON.stringify(error ? { type: 'ack', ackId, success: false, error } : { type: 'ack', ackId, success: true }));
    };
    const forbidden = (what: string) => ({ name: 'Forbidden', message: `The connection has no permission to ${what}.` });
    const group = typeof frame?.group === 'string' ? frame.group : '';
    switch (frame?.type) {
      case 'ping':
        ws.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'joinGroup':
      case 'leaveGroup':
        if (!allows(connection, 'webpubsub.joinLeaveGroup', group)) return ack(frame.ackId, forbidden(`join or leave group ${group}`));
        if (frame.type === 'joinGroup') context.hubs.join(connection, group);
        else context.hubs.leave(connection, group);
        return ack(frame.ackId);
      case 'sendToGroup': {
        if (!allows(connection, 'webpubsub.sendToGroup', group)) return ack(frame.ackId, forbidden(`send to group ${group}`));
        const payload = payloadOf(frame);
        if (!payload) return ack(frame.ackId, { name: 'InvalidData', message: 'dataType must be json, text or binary.' });
        const members = context.hubs.inGroup(connection.hub, group).filter((c) => !(frame.noEcho === true && c === connection));
        deliver(members, payload, { from: 'group', group, fromUserId: connection.userId });
        return ack(frame.ackId);
      }
      case 'event': {
        const payload = payloadOf(frame);
        if (!payload || typeof frame.event !== 'string') return ack(frame.ackId, { name: 'InvalidData', message: 'An event needs a name and json, text or binary data.' });
        try {
          const back = await userEvent(connection, frame.event, payload);
          if (back) deliver([connection], back);
          return ack(frame.ackId);
        } catch (error) {
          return ack(frame.ackId, { name: 'InternalServerError', message: error instanceof Error ? error.message : String(error) });
        }
      }
      default:
        return; // sequenceAck and unknown frames: nothing to do on a non-reliable connection
    }
  }

  return { upgrade, close: () => wss.close() };
}

interface ClientFrame {
  type?: unknown;
  group?: unknown;
  event?: unknown;
  ackId?: unknown;
  dataType?: unknown;
  data?: unknown;
  noEcho?: unknown;
}

function parseFrame(bytes: Buffer): ClientFrame | null {
  try {
    const frame = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof frame === 'object' && frame !== null ? (frame as ClientFrame) : null;
  } catch {
    return null;
  }
}

/** A json-protocol frame's data as bytes: JSON as its text, binary base64-decoded. */
function payloadOf(frame: ClientFrame): Payload | null {
  if (frame.dataType === 'json') return { data: Buffer.from(JSON.stringify(frame.data ?? null)), dataType: 'json' };
  if (frame.dataType === 'text' && typeof frame.data === 'string') return { data: Buffer.from(frame.data), dataType: 'text' };
  if (frame.dataType === 'binary' && typeof frame.data === 'string') return { data: Buffer.from(frame.data, 'base64'), dataType: 'binary' };
  return null;
}
