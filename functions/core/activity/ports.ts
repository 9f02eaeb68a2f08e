/** An activity as stored, and the buffer and store it moves through. */
import { newestFirstKey } from '../kernel/paging.js';

export interface Activity {
  id: string;
  userId: string;
  activity: string;
  details: Record<string, unknown> | null;
  timestamp: string;
  receivedAt: string;
}

/** The order of a user's history: newest first, ties broken by id, as one comparable string. */
export function sortKey(activity: Pick<Activity, 'timestamp' | 'id'>): string {
  return newestFirstKey(activity.timestamp, activity.id);
}

export interface ActivityBuffer {
  /** Appends to the buffer; throws SERVICE_BUSY when the buffer is full (the sync is behind). */
  append(items: Activity[]): Promise<void>;
  /** A user's most recent buffered items, for reads before the sync has run. */
  recent(userId: string): Promise<Activity[]>;
}

export interface ActivityHistoryQuery {
  limit: number;
  /** Only items that sort before this key (the cursor). */
  before?: string | undefined;
  /** Only items at or after this time. */
  since?: string | undefined;
}

export interface ActivityStore {
  /** Creates the document unless one with this id exists for the user; says which happened. */
  create(activity: Activity): Promise<'created' | 'existing'>;
  history(userId: string, query: ActivityHistoryQuery): Promise<Activity[]>;
}
