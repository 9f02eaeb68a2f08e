/**
 * User events: what happened to a player, for other systems (game servers, analytics, moderation).
 * The message body is the event's data exactly as the design gives it; the type travels as the
 * message subject and an `eventType` application property; the event id is the message id.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ACCOUNT_STATUSES } from '../accounts/statuses.js';
import { ROLES } from '../kernel/caller.js';
import { MAX_JSON_DEPTH, tooDeepFields } from '../kernel/json-depth.js';

const timestamp = z.iso.datetime({ offset: true });
const userId = z.string().min(1).max(64);

export const PRESENCE_STATUSES = ['online', 'in-game', 'away', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** The profile fields a userProfileUpdated event may name. */
export const PROFILE_FIELDS = ['username', 'email', 'displayName', 'avatarUrl'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** A catalog game as its events carry it: the GameView the API answers with. */
const gameSnapshot = z.strictObject({
  gameId: z.string().min(1).max(64),
  title: z.string(),
  genre: z.string(),
  price: z.strictObject({ amount: z.string(), currency: z.string(), minorUnits: z.number().int().min(0) }),
  description: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** One strict schema per event type: outgoing events are validated against them in tests, incoming ones by subscribers. */
export const EVENT_DATA_SCHEMAS = {
  userSignUp: z.strictObject({
    userId,
    timestamp,
    userDetails: z.strictObject({ username: z.string(), email: z.string().nullable() }),
  }),
  /** `method`: how the player proved who they are; absent on events from before it was recorded. */
  userLogin: z.strictObject({ userId, timestamp, method: z.enum(['password', 'device', 'oidc', 'steam']).optional() }),
  userLogout: z.strictObject({ userId, timestamp }),
  /** The password was set from a reset link; every session was ended. */
  userPasswordReset: z.strictObject({ userId, timestamp }),
  userStatusChange: z.strictObject({
    userId,
    newStatus: z.enum(PRESENCE_STATUSES),
    previousStatus: z.enum(PRESENCE_STATUSES),
    timestamp,
  }),
  userActivity: z.strictObject({
    userId,
    activity: z.string().min(1).max(64),
    details: z.record(z.string(), z.unknown()).nullable(),
    timestamp,
  }),
  /** A follow made (active) or asked for (pending); an accepted request is a second one, active. */
  userFollowed: z.strictObject({ userId, targetUserId: userId, state: z.enum(['active', 'pending']), timestamp }),
  userUnfollowed: z.strictObject({ userId, targetUserId: userId, timestamp }),
  /** In the blocker's audit trail only: userId is the blocker. */
  userBlocked: z.strictObject({ userId, targetUserId: userId, timestamp }),
  /** userId is the reporter, so the reported player never reads who reported them in their own trail. */
  userReported: z.strictObject({
    userId,
    targetUserId: userId,
    reportId: z.string().min(1).max(64),
    category: z.enum(['cheating', 'harassment', 'spam', 'name', 'other']),
    timestamp,
  }),
  /** In the resolving admin's trail (userId is the admin): what they decided about whom. */
  userReportResolved: z.strictObject({
    userId,
    targetUserId: userId,
    reportId: z.string().min(1).max(64),
    action: z.enum(['dismiss', 'warn', 'suspend', 'ban']),
    timestamp,
  }),
  /** Which fields changed, never their values: consumers read the profile if they need them. */
  userProfileUpdated: z.strictObject({
    userId,
    fields: z.array(z.enum(PROFILE_FIELDS)).min(1),
    timestamp,
  }),
  userAccountStatusChanged: z.strictObject({
    userId,
    status: z.enum(ACCOUNT_STATUSES),
    reason: z.string().nullable(),
    until: timestamp.nullable(),
    timestamp,
  }),
  userRolesChanged: z.strictObject({ userId, roles: z.array(z.enum(ROLES)), timestamp }),
  /** So other services erase what they hold about the player. */
  userDeleted: z.strictObject({ userId, timestamp }),
  /** That it changed and when; nothing about the password itself. */
  userPasswordChanged: z.strictObject({ userId, timestamp }),
  walletTransaction: z.strictObject({
    userId,
    currency: z.string().min(1).max(32),
    amount: z.number().int(),
    balanceAfter: z.number().int().min(0),
    reason: z.string().max(200),
    idempotencyKey: z.string().max(200),
    timestamp,
  }),
  /** One per player of the match, so each player's audit trail shows it. */
  matchCompleted: z.strictObject({
    userId,
    matchId: z.string().min(1).max(128),
    mode: z.string().max(64),
    outcome: z.enum(['win', 'loss', 'draw']),
    players: z.array(z.strictObject({ userId, outcome: z.enum(['win', 'loss', 'draw']), score: z.number().nullable() })),
    timestamp,
  }),
  /** Catalog events: userId is the admin who made the change. */
  gameCreated: z.strictObject({ userId, gameId: z.string().min(1).max(64), game: gameSnapshot, timestamp }),
  gameUpdated: z.strictObject({ userId, gameId: z.string().min(1).max(64), game: gameSnapshot, timestamp }),
  gameDeleted: z.strictObject({ userId, gameId: z.string().min(1).max(64), timestamp }),
} as const;

export type EventType = keyof typeof EVENT_DATA_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as EventType[];

export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA_SCHEMAS)[T]>;

export type UserEvent = { [T in EventType]: { id: string; type: T; data: EventData<T> } }[EventType];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as string[]).includes(value);
}

export function userEvent<T extends EventType>(id: string, type: T, data: EventData<T>): UserEvent {
  return { id, type, data } as UserEvent;
}

/**
 * The event of one activity has an id derived from the activity, so publishing it again after a
 * crashed sync carries the same message id (duplicate detection) and writes nothing twice.
 */
export function activityEventId(userIdValue: string, activityId: string): string {
  const hex = createHash('sha256').update(`activity\n${userIdValue}\n${activityId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** An event id derived from what it records, so a repaired or retried step republishes the same message id. */
export function derivedEventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A message no retry can fix (malformed, unknown type): settle it as poison, do not retry it. */
export class PoisonMessageError extends Error {
  constructor(readonly reason: string) {
    super(`poison message: ${reason}`);
    this.name = 'PoisonMessageError';
  }
}

/** What a subscriber gets: the body and the message properties that carry id and type. */
export interface EventMessage {
  body: unknown;
  messageId: unknown;
  subject: unknown;
  eventType: unknown;
}

/** Reads an event off a message, or throws PoisonMessageError saying what is wrong with it. */
export function readEventMessage(message: EventMessage): UserEvent {
  const type = message.eventType ?? message.subject;
  if (!isEventType(type)) throw new PoisonMessageError(`unknown event type ${JSON.stringify(type)}`);
  if (typeof message.messageId !== 'string' || message.messageId.length === 0) throw new PoisonMessageError('no message id');
  // The body reaches Cosmos (a recursive serialiser) in the audit subscriber: ours never nest this deep.
  if (tooDeepFields(message.body).length > 0) throw new PoisonMessageError(`${type} data nests deeper than ${MAX_JSON_DEPTH} levels`);
  const parsed = EVENT_DATA_SCHEMAS[type].safeParse(message.body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PoisonMessageError(`${type} data is invalid: ${first ? `${first.path.join('.') || 'body'} ${first.message}` : 'unreadable'}`);
  }
  return userEvent(message.messageId, type, parsed.data as never);
}
