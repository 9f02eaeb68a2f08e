/** What matches need: live matches in Redis, result records and per-player records in Cosmos. */
import type { PlayerResult } from './schemas.js';

export interface LiveMatch {
  id: string;
  mode: string;
  players: { userId: string; team?: string | undefined }[];
  state: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface LiveMatchStore {
  get(id: string): Promise<LiveMatch | 'ended' | null>;
  /** Creates or replaces with the TTL; refuses (returns 'ended') once the match has ended. */
  put(match: LiveMatch, ttlSeconds: number): Promise<'created' | 'updated' | 'ended'>;
  /** Replaces the live match with an "ended" marker for the TTL, so late updates get 409. */
  end(id: string, ttlSeconds: number): Promise<void>;
}

/** The result record: the authority that a result was accepted, and whether applying it finished. */
export interface MatchRecord {
  id: string;
  mode: string;
  endedAt: string;
  results: PlayerResult[];
  /** A digest of the result as submitted: the same again is a retry, anything else a conflict. */
  fingerprint: string;
  status: 'applying' | 'applied';
  receivedAt: string;
  appliedAt: string | null;
}

export interface MatchRecords {
  /** True when this call created it; false when a record with the id exists. */
  create(record: MatchRecord): Promise<boolean>;
  find(id: string): Promise<MatchRecord | null>;
  markApplied(id: string, appliedAt: string): Promise<void>;
  /** Records still applying that were received before the given time (crashes to finish). */
  unfinished(receivedBefore: string, limit: number): Promise<MatchRecord[]>;
}

export type Aggregation = 'sum' | 'max' | 'min' | 'last';

export interface PlayerStats {
  userId: string;
  gamesPlayed: number;
  wins: number;
  losses: number;
  draws: number;
  earnings: Record<string, number>;
  stats: Record<string, number>;
  /** The latest matches counted (bounded): a retried result counts once. */
  matchIds: string[];
  updatedAt: string;
}

export interface MatchHistoryEntry extends PlayerResult {
  matchId: string;
  mode: string;
  endedAt: string;
}

export interface PlayerMatchRepository {
  readStats(userId: string): Promise<{ stats: PlayerStats | null; etag: string | null }>;
  writeStats(stats: PlayerStats, etag: string | null): Promise<boolean>;
  /** Adds the entry once per (user, match). */
  addHistory(userId: string, entry: MatchHistoryEntry): Promise<void>;
  /** Newest first; `before` is the last sort key of the previous page. */
  history(userId: string, limit: number, before: string | undefined): Promise<MatchHistoryEntry[]>;
}
