/** What the social use cases need from storage: the edge store, privacy, preferences, the search index. */
import type { FollowState, Privacy, Relation, Report } from './model.js';

export { NO_RELATION, type FollowState, type Relation } from './model.js';

/** The two kinds of directed edge between players. */
export type EdgeKind = 'follow' | 'block';

export interface PlayerRef {
  id: string;
  username: string;
}

/** One entry of a player's list (followers, following, blocks), as stored on that player's side. */
export interface EdgeEntry {
  userId: string;
  username: string;
  state: FollowState;
  /** When the edge reached its current state (a follow: when it was made). */
  since: string;
  /** since|userId: the list's newest-first order as one comparable string. */
  sortKey: string;
}


/** Which list of a player: whom they follow, who follows them, whom they block. */
export type ListKind = 'following' | 'followers' | 'blocking';

export interface SocialGraph {
  /**
   * Moves the edge from -> to to the state `decide` picks from its current one, and mirrors it on
   * the other side. Safe under any concurrency: both sides end in the state of the last change.
   */
  setEdge(kind: EdgeKind, from: PlayerRef, to: PlayerRef, decide: (current: FollowState) => FollowState): Promise<{ previous: FollowState; current: FollowState }>;
  /** The viewer's relations to each of `others`, from the viewer's partition in one query. */
  relations(viewerId: string, others: string[]): Promise<Map<string, Relation>>;
  /** One page of a player's list in one state, newest first, strictly after the sort key `after`. */
  list(userId: string, kind: ListKind, state: FollowState, limit: number, after: string | undefined): Promise<EdgeEntry[]>;
  /** How many edges of this kind the player's partition holds in this state: a count of documents, so exact. */
  count(userId: string, kind: ListKind, state: FollowState): Promise<number>;
  /** Every edge of the player, both directions, for the deletion of their account. */
  allOf(userId: string): Promise<{ kind: EdgeKind; outgoing: boolean; other: PlayerRef }[]>;
}

export interface Versioned<T> {
  value: T;
  etag: string | undefined;
}

export interface PrivacyStore {
  get(userId: string): Promise<Privacy>;
  getMany(userIds: string[]): Promise<Map<string, Privacy>>;
  /** Applies `change` to the latest document, retrying a concurrent write. */
  update(userId: string, change: (current: Privacy) => Privacy): Promise<Privacy>;
  delete(userId: string): Promise<void>;
}

export interface PreferencesStore {
  get(userId: string): Promise<Versioned<Record<string, unknown>>>;
  /** Writes if `ifMatch` (when given) is the current etag; PRECONDITION_FAILED otherwise. */
  put(userId: string, document: Record<string, unknown>, ifMatch: string | undefined): Promise<Versioned<Record<string, unknown>>>;
  delete(userId: string): Promise<void>;
}

/** Searchable players by normalised username, for prefix search without a scan. */
export interface PlayerIndex {
  add(players: PlayerRef[]): Promise<void>;
  remove(players: PlayerRef[]): Promise<void>;
  /** Players whose normalised username starts with `prefix`, in name order, after the position `after`. */
  range(prefix: string, limit: number, after: string | undefined): Promise<{ players: PlayerRef[]; positions: string[] }>;
}

export interface ReportStore {
  /** Stores an open report; CONFLICT if the reporter already has one open about this target. */
  create(report: Report): Promise<void>;
  get(id: string): Promise<Report | null>;
  /** Newest first, strictly after the sort key `after`. */
  list(status: Report['status'], limit: number, after: string | undefined): Promise<Report[]>;
  /** Records the resolution if the report is still open (CONFLICT otherwise) and frees the reporter to report again. */
  resolve(report: Report, resolution: NonNullable<Report['resolution']>): Promise<Report>;
}
