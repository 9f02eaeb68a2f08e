/**
 * Player activity reported by game servers. The hot path (track) validates and appends to a Redis
 * buffer; the sync timer moves the buffer into Cosmos in bulk; a direct path writes to Cosmos at
 * once. Activity ids make every path idempotent: one document per (user, id), however often sent.
 */
import { invalidCursor } from '../kernel/paging.js';
import { requireKnownUser } from '../accounts/known-user.js';
import { z } from 'zod';
import { updateStats, type StatsRepository } from './stats.js';
import { requireSelfOrStaff, requireService, type Caller } from '../kernel/caller.js';
import { DomainError, type FieldError } from '../kernel/errors.js';
import { toFieldErrors } from '../kernel/field-errors.js';
import { activityEventId, userEvent, type UserEvent } from '../events/events.js';
import type { EventSink } from '../events/outbox.js';
import type { Counters } from '../metrics/metrics.js';
import type { Page } from '../kernel/paging.js';
import { sortKey, type Activity, type ActivityBuffer, type ActivityStore } from './ports.js';
import { recordSightings, type PresenceDeps } from '../presence/presence.js';
import { boundedJson, MAX_JSON_DEPTH, nestsDeeperThan } from '../kernel/json-depth.js';

export const MAX_BATCH = 1_000;
export const MAX_DETAILS_BYTES = 4 * 1024;
/** Timestamps may run a little ahead (clock skew) but not into the future proper. */
const MAX_FUTURE_MS = 5 * 60 * 1000;
const MAX_PAST_MS = 365 * 24 * 3600 * 1000;

const name = /^[A-Za-z0-9_.:-]+$/;

export const activityItemInput = z.strictObject({
  id: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters').regex(name, 'may use letters, digits, "_", ".", ":" and "-"').optional(),
  userId: z.uuid('must be a user id (a UUID)'),
  activity: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').regex(name, 'may use letters, digits, "_", ".", ":" and "-"'),
  details: boundedJson(
    z
      .record(z.string(), z.unknown(), 'must be a JSON object')
      .refine((d) => Buffer.byteLength(JSON.stringify(d), 'utf8') <= MAX_DETAILS_BYTES, `must be at most ${MAX_DETAILS_BYTES} bytes as JSON`),
  ).optional(),
  timestamp: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});
export type ActivityItemInput = z.infer<typeof activityItemInput>;

/**
 * activityItemInput with `details` taken as it is, for the check every item of a batch goes
 * through first: parsing details as a record (a copy of the object, a schema run per key) cost
 * most of the schema's time, and an object straight from JSON needs none of it (validItem).
 */
const activityItemFields = activityItemInput.extend({ details: z.unknown().optional() });

/** What activityItemInput accepts for details, checked without copying them. */
function detailsWithinLimits(details: unknown): details is Record<string, unknown> {
  return (
    typeof details === 'object' && details !== null && Object.getPrototypeOf(details) === Object.prototype &&
    // The record schema drops a "__proto__" key: such details take the schema's path.
    !Object.hasOwn(details, '__proto__') &&
    !nestsDeeperThan(details, MAX_JSON_DEPTH) &&
    Buffer.byteLength(JSON.stringify(details), 'utf8') <= MAX_DETAILS_BYTES
  );
}

/** An item activityItemInput would accept, as it would return it; null for anything else. */
function validItem(raw: unknown): ActivityItemInput | null {
  const parsed = activityItemFields.safeParse(raw);
  if (!parsed.success) return null;
  const details = parsed.data.details;
  return details === undefined || detailsWithinLimits(details) ? (parsed.data as ActivityItemInput) : null;
}

export interface ActivityDeps extends PresenceDeps {
  buffer: ActivityBuffer;
  store: ActivityStore;
  stats: StatsRepository;
  events: EventSink;
  counters: Counters;
}

export interface Rejection {
  index: number;
  errors: FieldError[];
}

/** Validates each item on its own: one bad item must not sink a batch of good ones. */
export function validateItems(
  body: unknown,
  now: number,
  newId: () => string,
): { accepted: Activity[]; rejected: Rejection[]; single: boolean } {
  const single = !Array.isArray(body);
  const list: unknown[] = single ? [body] : (body as unknown[]);
  if (list.length === 0 || list.length > MAX_BATCH) {
    throw new DomainError('VALIDATION_FAILED', `Send one activity or a batch of 1 to ${MAX_BATCH}.`, {
      errors: [{ field: 'body', message: `must hold 1 to ${MAX_BATCH} activities (it has ${list.length})` }],
    });
  }
  const accepted: Activity[] = [];
  const rejected: Rejection[] = [];
  const receivedAt = new Date(now).toISOString();
  list.forEach((raw, index) => {
    // The common case, a valid item, is checked without building errors; any other item goes
    // through the full schema, which names what is wrong.
    let item = validItem(raw);
    const errors: FieldError[] = [];
    if (item === null) {
      const parsed = activityItemInput.safeParse(raw);
      if (parsed.success) item = parsed.data;
      else errors.push(...toFieldErrors(parsed.error.issues, 'item'));
    }
    let timestamp = receivedAt;
    if (item?.timestamp !== undefined) {
      const at = Date.parse(item.timestamp);
      if (at > now + MAX_FUTURE_MS) errors.push({ field: 'timestamp', message: 'must not be more than 5 minutes in the future' });
      if (at < now - MAX_PAST_MS) errors.push({ field: 'timestamp', message: 'must not be more than a year in the past' });
      // Normalised to UTC ISO so history sorts as text.
      timestamp = new Date(at).toISOString();
    }
    if (item === null || errors.length > 0) {
      rejected.push({ index, errors });
      return;
    }
    accepted.push({
      id: item.id ?? newId(),
      userId: item.userId,
      activity: item.activity,
      details: item.details ?? null,
      timestamp,
      receivedAt,
    });
  });
  return { accepted, rejected, single };
}

/** The players an activity batch concerns are online, each with their latest activity. */
function sightingsOf(items: Activity[], now: number) {
  const latest = new Map<string, Activity>();
  for (const item of items) {
    const seen = latest.get(item.userId);
    if (!seen || item.timestamp >= seen.timestamp) latest.set(item.userId, item);
  }
  return [...latest.values()].map((a) => ({ userId: a.userId, at: now, activity: { name: a.activity, at: a.timestamp } }));
}

export interface TrackResult {
  accepted: number;
  rejected: Rejection[];
}

/** POST /api/track-activity: buffer the valid items; 202 says they will reach Cosmos at the next sync. */
export async function trackActivity(deps: ActivityDeps, caller: Caller, body: unknown): Promise<TrackResult> {
  requireService(caller);
  const now = deps.clock.now();
  const { accepted, rejected, single } = validateItems(body, now, deps.newId);
  if (accepted.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'No activity in the request is valid.', {
      errors: rejected.flatMap((r) => r.errors.map((e) => ({ field: single ? e.field : `[${r.index}].${e.field}`, message: e.message }))),
    });
  }
  await deps.buffer.append(accepted);
  deps.counters.add('activitiesBuffered', accepted.length);
  await recordSightings(deps, sightingsOf(accepted, now));
  return { accepted: accepted.length, rejected };
}

export function activityEvent(activity: Activity): UserEvent {
  return userEvent(activityEventId(activity.userId, activity.id), 'userActivity', {
    userId: activity.userId,
    activity: activity.activity,
    details: activity.details,
    timestamp: activity.timestamp,
  });
}

export interface RecordedActivity extends Activity {
  created: boolean;
}

/** POST /api/user-activity: straight to Cosmos, all or nothing on validation. */
export async function recordActivityNow(deps: ActivityDeps, caller: Caller, body: unknown): Promise<RecordedActivity[]> {
  requireService(caller);
  const now = deps.clock.now();
  const { accepted, rejected, single } = validateItems(body, now, deps.newId);
  if (rejected.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'Some activities are invalid; nothing was written.', {
      errors: rejected.flatMap((r) => r.errors.map((e) => ({ field: single ? e.field : `[${r.index}].${e.field}`, message: e.message }))),
    });
  }
  if (accepted.length > 100) {
    throw new DomainError('VALIDATION_FAILED', 'The direct path takes at most 100 activities; use track-activity for more.', {
      errors: [{ field: 'body', message: 'must hold at most 100 activities' }],
    });
  }
  const results: RecordedActivity[] = [];
  const created: Activity[] = [];
  for (const activity of accepted) {
    const outcome = await deps.store.create(activity);
    if (outcome === 'created') {
      await updateStats(deps.stats, activity.userId, [activity], new Date(now).toISOString());
      created.push(activity);
    }
    results.push({ ...activity, created: outcome === 'created' });
  }
  await deps.events.emit(created.map(activityEvent));
  await recordSightings(deps, sightingsOf(accepted, now));
  return results;
}

export interface HistoryQuery {
  limit: number;
  cursor?: string | undefined;
  since?: string | undefined;
}

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T[^|]+\|.+$/.test(key)) {
    throw invalidCursor();
  }
  return key;
}

/**
 * A user's history, newest first. Items still in the Redis buffer are merged in, so an activity
 * shows up at once rather than after the next sync; paging is by sort key, so merged pages stay
 * consistent while the sync moves items from the buffer into Cosmos.
 */
export async function activityHistory(deps: ActivityDeps, caller: Caller, userId: string, query: HistoryQuery): Promise<Page<Activity>> {
  requireSelfOrStaff(caller, userId, 'Activity');
  await requireKnownUser(deps.users, caller, userId);
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const [stored, buffered] = await Promise.all([
    deps.store.history(userId, { limit: query.limit + 1, before, since: query.since }),
    deps.buffer.recent(userId),
  ]);
  const merged = new Map<string, Activity>();
  for (const item of [...stored, ...buffered]) {
    if (before !== undefined && sortKey(item) >= before) continue;
    if (query.since !== undefined && item.timestamp < new Date(query.since).toISOString()) continue;
    merged.set(item.id, item);
  }
  const ordered = [...merged.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
  const page = ordered.slice(0, query.limit);
  const last = page[page.length - 1];
  const more = ordered.length > query.limit || stored.length > query.limit;
  return { items: page, cursor: more && last ? Buffer.from(sortKey(last)).toString('base64url') : null };
}
