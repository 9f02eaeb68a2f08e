/** What leaderboards need: Cosmos holds each entry (the record), Redis ranks them (the live index). */
import type { BoardConfig } from './boards.js';

export interface LeaderboardEntry {
  userId: string;
  score: number;
  metadata: Record<string, unknown> | null;
  /** When the player reached this score: ties rank the earlier first. */
  reachedAt: string;
  /** Counts the record's writes: the index never takes an older version over a newer one. */
  version: number;
}

export interface RankedEntry extends LeaderboardEntry {
  /** 1 for the top. */
  rank: number;
}

export interface StoredEntry extends LeaderboardEntry {
  boardId: string;
  period: string;
  /** The submission keys applied (the latest few), so a retried match result adds nothing twice. */
  keys: string[];
}

export interface LeaderboardRecords {
  read(boardId: string, period: string, userId: string): Promise<{ entry: StoredEntry | null; etag: string | null }>;
  /** Creates (etag null) or replaces on the etag; false when another write came first. */
  write(entry: StoredEntry, etag: string | null): Promise<boolean>;
  /** Every entry of a period, a page at a time (for rebuilding the index). */
  pages(boardId: string, period: string): AsyncIterable<LeaderboardEntry[]>;
  /** Records that a finished period was archived; true for the one caller that did it. */
  claimArchive(boardId: string, period: string, archive: { entries: number; archivedAt: string }): Promise<boolean>;
}

export type BoardRef = Pick<BoardConfig, 'id' | 'sort'>;

export interface LeaderboardIndex {
  /** Sets each entry as given (the record's values): idempotent. */
  put(board: BoardRef, period: string, entries: LeaderboardEntry[]): Promise<void>;
  top(board: BoardRef, period: string, offset: number, limit: number): Promise<{ entries: RankedEntry[]; total: number }>;
  /** The entries around a player (the player in the middle where the board allows); null if not on it. */
  around(board: BoardRef, period: string, userId: string, limit: number): Promise<RankedEntry[] | null>;
  rankOf(board: BoardRef, period: string, userId: string): Promise<RankedEntry | null>;
  size(board: BoardRef, period: string): Promise<number>;
  /** Replaces the period's index with these entries, all at once for readers. Returns how many. */
  replace(board: BoardRef, period: string, pages: AsyncIterable<LeaderboardEntry[]>): Promise<number>;
}

