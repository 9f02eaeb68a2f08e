/** The audit trail of user events: written by the audit subscriber, read by owners and admins. */
import { requireKnownUser } from '../accounts/known-user.js';
import type { UserRepository } from '../accounts/ports.js';
import { isAdmin, requireOwnerOrAdmin, type Caller } from '../kernel/caller.js';
import { DomainError } from '../kernel/errors.js';
import type { UserEvent } from './events.js';
import { newestFirstKey, type Page, type PageRequest } from '../kernel/paging.js';

export interface AuditEntry {
  id: string;
  userId: string;
  type: UserEvent['type'];
  data: UserEvent['data'];
  /** When the event happened (its own timestamp). */
  timestamp: string;
  recordedAt: string;
  /** timestamp|id: newest first in one indexed field. */
  sortKey: string;
}

export interface AuditLog {
  /** Idempotent by event id: a redelivered event is a 'duplicate' and changes nothing. */
  append(entry: AuditEntry): Promise<'recorded' | 'duplicate'>;
  /** `append` for many at once (bulk); throws if any could not be written (the rest stay idempotent). */
  appendMany(entries: AuditEntry[]): Promise<('recorded' | 'duplicate')[]>;
  list(userId: string, page: PageRequest): Promise<Page<AuditEntry>>;
}

function auditEntry(event: UserEvent, recordedAt: string): AuditEntry {
  return {
    id: event.id,
    userId: event.data.userId,
    type: event.type,
    data: event.data,
    timestamp: event.data.timestamp,
    recordedAt,
    sortKey: newestFirstKey(event.data.timestamp, event.id),
  };
}

export async function recordAuditEvent(audit: AuditLog, event: UserEvent, now: number): Promise<'recorded' | 'duplicate'> {
  return audit.append(auditEntry(event, new Date(now).toISOString()));
}

/** A batch of events in one bulk write; each keeps its event id, so a redelivered batch adds nothing. */
export async function recordAuditEvents(audit: AuditLog, events: UserEvent[], now: number): Promise<('recorded' | 'duplicate')[]> {
  if (events.length === 0) return [];
  const recordedAt = new Date(now).toISOString();
  return audit.appendMany(events.map((event) => auditEntry(event, recordedAt)));
}

/** GET /api/users/{id}/events: how a support engineer sees what happened to an account. */
export async function listUserEvents(
  deps: { audit: AuditLog; users: Pick<UserRepository, 'findById'> },
  caller: Caller,
  userId: string,
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  if (caller.kind !== 'player') throw new DomainError('FORBIDDEN', "An account's events are for its owner and admins.");
  requireOwnerOrAdmin(caller, userId);
  if (isAdmin(caller)) {
    // Admins read a deleted account's trail too (its last entry is userDeleted); 404 only for an id with no history.
    const found = await deps.audit.list(userId, page);
    if (found.items.length === 0 && found.cursor === null) await requireKnownUser(deps.users, caller, userId);
    return found;
  }
  await requireKnownUser(deps.users, caller, userId);
  return deps.audit.list(userId, page);
}
