/**
 * The stand-in's state: connections, groups and users per hub, and delivery to sockets. Names of
 * hubs are case-insensitive (as the service treats them); group and user names are exact.
 */
import type { WebSocket } from 'ws';

export const JSON_SUBPROTOCOL = 'json.webpubsub.azure.v1';

export type DataType = 'json' | 'text' | 'binary';

/** A message as it travels: its bytes and what they are. */
export interface Payload {
  data: Buffer;
  dataType: DataType;
}

export interface Connection {
  id: string;
  hub: string;
  userId: string | null;
  groups: Set<string>;
  roles: Set<string>;
  /** `json.webpubsub.azure.v1`, or null for a plain WebSocket. */
  subprotocol: string | null;
  /** The last `ce-connectionState` the event handler set (base64 JSON), sent back on later events. */
  state: string | null;
  socket: WebSocket;
}

export interface ConnectionInfo {
  connectionId: string;
  hub: string;
  userId: string | null;
  groups: string[];
  roles: string[];
  subprotocol: string | null;
}

export function dataTypeOf(contentType: string | undefined): DataType {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'text/plain') return 'text';
  return 'binary';
}

/** What a json-subprotocol client receives for a payload. */
function jsonFrame(payload: Payload, from: Record<string, string | null>): string {
  let dataType = payload.dataType;
  let data: unknown = dataType === 'binary' ? payload.data.toString('base64') : payload.data.toString('utf8');
  if (dataType === 'json') {
    try {
      data = JSON.parse(data as string);
    } catch {
      dataType = 'text'; // a body labelled JSON that is not: passed on as the text it is
    }
  }
  const frame: Record<string, unknown> = { type: 'message' };
  for (const [key, value] of Object.entries(from)) if (value !== null) frame[key] = value;
  return JSON.stringify({ ...frame, dataType, data });
}

/** Sends one payload to many connections, encoding each frame kind once (as bytes, so ws copies no strings). */
export function deliver(targets: Iterable<Connection>, payload: Payload, from: Record<string, string | null> = { from: 'server' }): void {
  let json: Buffer | undefined;
  const plainIsBinary = payload.dataType === 'binary';
  for (const connection of targets) {
    if (connection.socket.readyState !== connection.socket.OPEN) continue;
    if (connection.subprotocol) {
      json ??= Buffer.from(jsonFrame(payload, from));
      connection.socket.send(json, { binary: false });
    } else {
      connection.socket.send(payload.data, { binary: plainIsBinary });
    }
  }
}

const key = (hub: string, name: string) => `${hub.toLowerCase()}\u0000${name}`;

export class Hubs {
  readonly connections = new Map<string, Connection>();
  private readonly groups = new Map<string, Set<Connection>>();
  private readonly users = new Map<string, Set<Connection>>();
  /** Groups a user was added to: they apply to the user's later connections too. */
  private readonly userGroups = new Map<string, Set<string>>();

  add(connection: Connection): void {
    this.connections.set(connection.id, connection);
    if (connection.userId !== null) {
      const users = this.users.get(key(connection.hub, connection.userId)) ?? new Set();
      users.add(connection);
      this.users.set(key(connection.hub, connection.userId), users);
      for (const group of this.userGroups.get(key(connection.hub, connection.userId)) ?? []) connection.groups.add(group);
    }
    for (const group of connection.groups) this.join(connection, group);
  }

  remove(connection: Connection): void {
    if (!this.connections.delete(connection.id)) return;
    for (const group of [...connection.groups]) this.leave(connection, group);
    if (connection.userId !== null) {
      const users = this.users.get(key(connection.hub, connection.userId));
      users?.delete(connection);
      if (users?.size === 0) this.users.delete(key(connection.hub, connection.userId));
    }
  }

  find(hub: string, connectionId: string): Connection | undefined {
    const connection = this.connections.get(connectionId);
    return connection && connection.hub.toLowerCase() === hub.toLowerCase() ? connection : undefined;
  }

  inHub(hub: string): Connection[] {
    return [...this.connections.values()].filter((c) => c.hub.toLowerCase() === hub.toLowerCase());
  }

  inGroup(hub: string, group: string): Connection[] {
    return [...(this.groups.get(key(hub, group)) ?? [])];
  }

  ofUser(hub: string, userId: string): Connection[] {
    return [...(this.users.get(key(hub, userId)) ?? [])];
  }

  join(connection: Connection, group: string): void {
    connection.groups.add(group);
    const members = this.groups.get(key(connection.hub, group)) ?? new Set();
    members.add(connection);
    this.groups.set(key(connection.hub, group), members);
  }

  leave(connection: Connection, group: string): void {
    connection.groups.delete(group);
    const members = this.groups.get(key(connection.hub, group));
    members?.delete(connection);
    if (members?.size === 0) this.groups.delete(key(connection.hub, group));
  }

  addUserToGroup(hub: string, userId: string, group: string): void {
    const groups = this.userGroups.get(key(hub, userId)) ?? new Set();
    groups.add(group);
    this.userGroups.set(key(hub, userId), groups);
    for (const connection of this.ofUser(hub, userId)) this.join(connection, group);
  }

  removeUserFromGroup(hub: string, userId: string, group: string): void {
    this.userGroups.get(key(hub, userId))?.delete(group);
    for (const connection of this.ofUser(hub, userId)) this.leave(connection, group);
  }

  removeUserFromAllGroups(hub: string, userId: string): void {
    this.userGroups.delete(key(hub, userId));
    for (const connection of this.ofUser(hub, userId)) for (const group of [...connection.groups]) this.leave(connection, group);
  }

  groupExists(hub: string, group: string): boolean {
    return this.groups.has(key(hub, group));
  }

  userExists(hub: string, userId: string): boolean {
    return this.users.has(key(hub, userId));
  }
}

export function describe(connection: Connection): ConnectionInfo {
  return {
    connectionId: connection.id,
    hub: connection.hub,
    userId: connection.userId,
    groups: [...connection.groups].sort(),
    roles: [...connection.roles].sort(),
    subprotocol: connection.subprotocol,
  };
}

/** Whether the roles allow `permission` (`webpubsub.joinLeaveGroup`, `webpubsub.sendToGroup`) on `group`. */
export function allows(connection: Connection, permission: string, group: string): boolean {
  return connection.roles.has(permission) || connection.roles.has(`${permission}.${group}`);
}

/** Closes a client as the service does: json clients first hear why. */
export function closeConnection(connection: Connection, reason = '', code = 1000): void {
  const socket = connection.socket;
  if (socket.readyState !== socket.OPEN) return;
  if (connection.subprotocol) socket.send(JSON.stringify({ type: 'system', event: 'disconnected', message: reason }));
  // A close reason may hold at most 123 bytes.
  socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
}
