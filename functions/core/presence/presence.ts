/**
 * Presence: who is online and what they are doing. Redis holds it (adapters/redis/presence.ts);
 * every change of state is emitted once as userStatusChange, not once per heartbeat.
 */
import { requireKnownUser } from '../accounts/known-user.js';
import type { UserRepository } from '../accounts/ports.js';
import { requireStaff, type Caller } from '../kernel/caller.js';
import { DomainError } from '../kernel/errors.js';
import { userEvent, type PresenceStatus, type UserEvent } from '../events/events.js';
import type { EventSink } from '../events/outbox.js';
import type { Page, PageRequest } from '../kernel/paging.js';

export type SettableStatus = Exclude<PresenceStatus, 'offline'>;

export interface PresenceChange {
  userId: string;
  previousStatus: PresenceStatus;
  newStatus: PresenceStatus;
  /** Epoch ms the change took effect. */
  at: number;
}

export interface Sighting {
  userId: string;
  at: number;
  username?: string | null;
  activity?: { name: string; at: string } | null;
}

export interface PresenceView {
  userId: string;
  status: PresenceStatus;
  lastSeenAt: string | null;
  activity?: { name: string; at: string };
}

export interface OnlineUser {
  userId: string;
  username: string | null;
  status: PresenceStatus;
  lastSeenAt: string;
}

/** A page of online users, and which of them neither presence nor the name cache has a username for. */
export interface OnlinePage extends Page<OnlineUser> {
  /** Never looked up, or looked up too long ago: the caller looks these up and remembers them. */
  unnamed: string[];
}

export interface PresenceStore {
  /** Heartbeats: offline users become online; lastSeenAt only moves forward. */
  seen(sightings: Sighting[]): Promise<PresenceChange[]>;
  /** An explicit state (or offline), applied only if `at` is not older than the last change. */
  set(userId: string, status: PresenceStatus, at: number): Promise<PresenceChange | null>;
  get(userId: string): Promise<PresenceView>;
  /** Marks offline everyone not seen since `cutoff`, at most `limit` of them. */
  sweep(cutoff: number, at: number, limit: number): Promise<PresenceChange[]>;
  /** Online users, most recently seen first; usernames where known. */
  online(page: PageRequest): Promise<OnlinePage>;
  rememberUsernames(names: Map<string, string>): Promise<void>;
  /** A renamed or deleted user's name is not shown again until looked up or seen anew. */
  forgetUsername(userId: string): Promise<void>;
}

export interface PresenceDeps {
  presence: PresenceStore;
  events: EventSink;
  clock: { now(): number };
  newId: () => string;
  /** Reads about another player answer 404 when no such player exists. */
  users: Pick<UserRepository, 'findById'>;
  /** A player not seen for this long is marked offline by the sweep. */
  timeoutSeconds: number;
  /** Looks up usernames the presence store does not know yet (through a cache that also remembers who does not exist). */
  usernames(userIds: string[]): Promise<Map<string, string>>;
}

export function statusChangeEvents(deps: Pick<PresenceDeps, 'newId'>, changes: PresenceChange[]): UserEvent[] {
  return changes.map((c) =>
    userEvent(deps.newId(), 'userStatusChange', {
      userId: c.userId,
      newStatus: c.newStatus,
      previousStatus: c.previousStatus,
      timestamp: new Date(c.at).toISOString(),
    }),
  );
}

async function emitChanges(deps: PresenceDeps, changes: (PresenceChange | null)[]): Promise<void> {
  const real = changes.filter((c): c is PresenceChange => c !== null && c.previousStatus !== c.newStatus);
  await deps.events.emit(statusChangeEvents(deps, real));
}

/** Any sighting of users (an authenticated call, a tracked activity) keeps them online. */
export async function recordSightings(deps: PresenceDeps, sightings: Sighting[]): Promise<void> {
  if (sightings.length === 0) return;
  await emitChanges(deps, await deps.presence.seen(sightings));
}

export async function setOwnStatus(deps: PresenceDeps, caller: Caller, status: SettableStatus): Promise<PresenceView> {
  if (caller.kind !== 'player') throw new DomainError('FORBIDDEN', 'Players set their own status; game servers cannot.');
  const now = deps.clock.now();
  await deps.presence.seen([{ userId: caller.subject, at: now, username: caller.username }]);
  await emitChanges(deps, [await deps.presence.set(caller.subject, status, now)]);
  return deps.presence.get(caller.subject);
}

/** The caller's own status; another user's only for game servers and admins. */
export async function getStatus(deps: PresenceDeps, caller: Caller, userId: string | undefined): Promise<PresenceView> {
  const target = userId ?? (caller.kind === 'player' ? caller.subject : undefined);
  if (target === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'A game server must name the user.', { errors: [{ field: 'userId', message: 'is required' }] });
  }
  if (target !== caller.subject) requireStaff(caller, "Another user's status");
  if (userId !== undefined) await requireKnownUser(deps.users, caller, target);
  return deps.presence.get(target);
}

export async function activeUsers(deps: PresenceDeps, caller: Caller, page: PageRequest): Promise<Page<OnlineUser>> {
  requireStaff(caller, 'The list of active users');
  const { items, cursor, unnamed } = await deps.presence.online(page);
  if (unnamed.length === 0) return { items, cursor };
  // Users seen only through game servers' activity: look their names up once, then remember them.
  const names = await deps.usernames(unnamed);
  await deps.presence.rememberUsernames(names);
  return { items: items.map((u) => (u.username === null ? { ...u, username: names.get(u.userId) ?? null } : u)), cursor };
}

/** The timer: whoever was not seen within the timeout goes offline, each with one event. */
export async function sweepStale(deps: PresenceDeps, limit: number): Promise<number> {
  const now = deps.clock.now();
  const changes = await deps.presence.sweep(now - deps.timeoutSeconds * 1000, now, limit);
  await emitChanges(deps, changes);
  return changes.length;
}

/** The sweep timer's run: bounded chunks, each one Lua call; a crowd going quiet at once takes several. */
export async function sweepAllStale(deps: PresenceDeps): Promise<number> {
  let total = 0;
  for (let swept = -1; swept !== 0 && total < 100_000; total += swept) swept = await sweepStale(deps, 1_000);
  return total;
}

/** Subscriber side: login and logout events move presence, never backwards in time. */
export async function applyLoginEvent(deps: PresenceDeps, userId: string, timestamp: string): Promise<void> {
  await emitChanges(deps, await deps.presence.seen([{ userId, at: Date.parse(timestamp) }]));
}

export async function applyLogoutEvent(deps: PresenceDeps, userId: string, timestamp: string): Promise<void> {
  await emitChanges(deps, [await deps.presence.set(userId, 'offline', Date.parse(timestamp))]);
}

/**
 * A reported status change converges the projection; a stale or repeated one is a no-op. Nothing
 * is emitted: the change already is an event.
 */
export async function applyStatusEvent(deps: PresenceDeps, userId: string, status: PresenceStatus, timestamp: string): Promise<void> {
  await deps.presence.set(userId, status, Date.parse(timestamp));
}
