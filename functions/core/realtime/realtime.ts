/**
 * Realtime: clients negotiate a WebSocket to the pub/sub hub, subscribe to topics with JSON
 * frames, and receive the user events the topic stands for. The hub calls back here (upstream) for
 * connect and for every frame; subscribers of the user-events topic call pushEvent.
 */
import type { UserRepository } from '../accounts/ports.js';
import type { UserEvent } from '../events/events.js';
import type { Caller } from '../kernel/caller.js';
import { DomainError } from '../kernel/errors.js';
import type { PresenceVisibility, RealtimeGateway, UpstreamAuthenticator, UpstreamProof, Viewer } from './ports.js';
import { GAME_UPDATES, groupOf, parseTopic, topicName, userGroup, type Topic } from './topics.js';

export interface RealtimeDeps {
  gateway: RealtimeGateway;
  visibility: PresenceVisibility;
  users: Pick<UserRepository, 'findById'>;
  /** A connected socket counts as a sighting of its player (presence). */
  sighted(userId: string, username: string | null): Promise<void>;
  /** How long a negotiated client token lasts. */
  tokenMinutes: number;
}

export interface Negotiated {
  url: string;
  accessToken: string;
  /** Seconds the token is good for connecting. */
  expiresIn: number;
}

/** What a pushed message looks like on the socket: the event as published, and where it came from. */
export interface PushedMessage {
  topic: string;
  type: UserEvent['type'];
  /** The event id: the same event delivered twice has the same id. */
  id: string;
  data: UserEvent['data'];
}

export function isGameServer(userId: string): boolean {
  return userId.startsWith('client:');
}

/** Any signed-in caller gets a token bound to their own user id (a game server: client:<id>). */
export async function negotiate(deps: RealtimeDeps, caller: Caller): Promise<Negotiated> {
  const access = await deps.gateway.clientAccess(caller.subject, deps.tokenMinutes);
  return { ...access, expiresIn: deps.tokenMinutes * 60 };
}

/**
 * The hub's connect event: the token was valid when issued; the account must still be active now.
 * The connection joins its own user channel.
 */
export async function acceptConnection(deps: RealtimeDeps, userId: string | undefined): Promise<{ userId: string; groups: string[] }> {
  if (!userId) throw new DomainError('UNAUTHENTICATED', 'The connection carries no user id; negotiate a token first.');
  if (!isGameServer(userId)) {
    const user = await deps.users.findById(userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'The account of this token no longer exists.');
    if (user.status !== 'active') throw new DomainError('FORBIDDEN', `The account is ${user.status}.`);
    await deps.sighted(userId, user.username);
  }
  return { userId, groups: [userGroup(userId)] };
}

export type Reply = { message: string } | { error: string; code: 'INVALID_MESSAGE' | 'UNKNOWN_ACTION' | 'UNKNOWN_TOPIC' | 'FORBIDDEN' };

function invalid(): Reply {
  return { error: 'Send JSON like {"action":"subscribe","topic":"game_updates"}.', code: 'INVALID_MESSAGE' };
}

/** Whether the viewer may follow the topic; game_updates is for everyone. */
async function mayFollow(deps: RealtimeDeps, viewer: Viewer, topic: Topic): Promise<boolean> {
  if (topic.kind === 'game_updates') return true;
  if (topic.kind === 'user') return topic.userId === viewer.userId;
  return deps.visibility.maySee(viewer, topic.userId);
}

/** One frame from a client: subscribe or unsubscribe; anything else gets an error reply, never a dropped socket. */
export async function handleClientMessage(deps: RealtimeDeps, connection: { connectionId: string; userId: string }, text: string): Promise<Reply> {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return invalid();
  }
  if (typeof frame !== 'object' || frame === null || typeof (frame as { action?: unknown }).action !== 'string') return invalid();
  const { action, topic: named } = frame as { action: string; topic?: unknown };
  if (action !== 'subscribe' && action !== 'unsubscribe') {
    return { error: `Unknown action ${JSON.stringify(action).slice(0, 80)}: use "subscribe" or "unsubscribe".`, code: 'UNKNOWN_ACTION' };
  }
  const topic = parseTopic(named);
  if (!topic) {
    return { error: `Unknown topic ${JSON.stringify(named ?? null).slice(0, 80)}: use "${GAME_UPDATES}", "presence:{userId}" or "user:{yourId}".`, code: 'UNKNOWN_TOPIC' };
  }
  const name = topicName(topic);
  if (action === 'unsubscribe') {
    // Your own user channel stays: the server tells you about your account there.
    if (topic.kind !== 'user') await deps.gateway.leave(connection.connectionId, groupOf(topic));
    return { message: `Unsubscribed from ${name}` };
  }
  if (!(await mayFollow(deps, { userId: connection.userId }, topic))) {
    return { error: `You may not follow ${name}.`, code: 'FORBIDDEN' };
  }
  await deps.gateway.join(connection.connectionId, groupOf(topic));
  if (!isGameServer(connection.userId)) await deps.sighted(connection.userId, null);
  return { message: `Subscribed to ${name}` };
}

/** Where an event goes: presence changes to presence:{id}, account news to user:{id}, catalog changes to game_updates. */
export function topicOfEvent(event: UserEvent): Topic | null {
  switch (event.type) {
    case 'userStatusChange':
      return { kind: 'presence', userId: event.data.userId };
    case 'userLogout':
    case 'userAccountStatusChanged':
    case 'userProfileUpdated':
      return { kind: 'user', userId: event.data.userId };
    case 'gameCreated':
    case 'gameUpdated':
    case 'gameDeleted':
      return { kind: 'game_updates' };
    default:
      return null;
  }
}

/** The subscriber's work: push the event to its topic; a suspended or banned player's sockets are closed after. */
export async function pushEvent(deps: RealtimeDeps, event: UserEvent): Promise<void> {
  const topic = topicOfEvent(event);
  if (!topic) return;
  const message: PushedMessage = { topic: topicName(topic), type: event.type, id: event.id, data: event.data };
  await deps.gateway.publish(groupOf(topic), message);
  if (event.type === 'userAccountStatusChanged' && event.data.status !== 'active') {
    await deps.gateway.closeUser(event.data.userId, `account ${event.data.status}`);
  }
}

/** The rule until a social graph exists: yourself, and anyone for game servers and admins. */
export function staffVisibility(users: Pick<UserRepository, 'findById'>): PresenceVisibility {
  return {
    async maySee(viewer, userId) {
      if (viewer.userId === userId || isGameServer(viewer.userId)) return true;
      const user = await users.findById(viewer.userId);
      return user?.status === 'active' && user.roles.includes('admin');
    },
  };
}

/** Refuses an upstream call the hub did not make (no or a forged signature or token). */
export async function authenticateUpstream(authenticator: UpstreamAuthenticator, proof: UpstreamProof): Promise<void> {
  if (!(await authenticator.verify(proof))) throw new DomainError('UNAUTHENTICATED', 'This call does not come from the realtime hub.');
}
