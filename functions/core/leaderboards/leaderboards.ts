/**
 * Leaderboards: submissions land in Cosmos first (the record, read-modify-write on its etag), then
 * in the Redis index with the record's values, so the index can always be rebuilt from Cosmos.
 */
import { requireStaff, type Caller } from '../kernel/caller.js';
import type { Clock } from '../kernel/clock.js';
import { DomainError, validationError } from '../kernel/errors.js';
import { invalidCursor, type Page } from '../kernel/paging.js';
import { combine, currentPeriod, previousPeriod, type Board } from './boards.js';
import type { ProfileNames } from '../accounts/ports.js';
import type { LeaderboardEntry, LeaderboardIndex, LeaderboardRecords, RankedEntry, StoredEntry } from './ports.js';
import type { ScoreSubmission } from './schemas.js';

export interface LeaderboardDeps {
  boards: readonly Board[];
  records: LeaderboardRecords;
  index: LeaderboardIndex;
  names: ProfileNames;
  clock: Clock;
}

export interface RankedView extends Omit<RankedEntry, 'version'> {
  username: string | null;
}

export interface BoardPage extends Page<RankedView> {
  boardId: string;
  period: string;
  total: number;
}

// Only the latest keys matter: a retry comes soon after the first attempt.
const KEPT_KEYS = 32;
const MAX_ATTEMPTS = 20;
const SUBMIT_CONCURRENCY = 32;

export function findBoard(deps: Pick<LeaderboardDeps, 'boards'>, boardId: string): Board {
  const board = deps.boards.find((b) => b.id === boardId);
  if (!board) throw new DomainError('NOT_FOUND', `No leaderboard "${boardId}" is configured.`);
  return board;
}

/** Applies one submission to the player's record of the period (Cosmos, on its etag); with a key, at most once per key. */
async function recordScore(deps: LeaderboardDeps, board: Board, period: string, now: number, submission: ScoreSubmission, key: string | undefined): Promise<StoredEntry> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { entry, etag } = await deps.records.read(board.id, period, submission.userId);
    // Applied before: the index may have missed it (a crash in between), so the caller puts it again.
    if (entry && key !== undefined && entry.keys.includes(key)) return entry;
    const score = combine(board, entry?.score ?? null, submission.score);
    const changed = !entry || score !== entry.score;
    if (entry && !changed && key === undefined) return entry;
    const next: StoredEntry = {
      boardId: board.id,
      period,
      userId: submission.userId,
      score,
      metadata: changed ? (submission.metadata ?? null) : entry.metadata,
      reachedAt: changed ? new Date(now).toISOString() : entry.reachedAt,
      version: (entry?.version ?? 0) + 1,
      keys: key === undefined ? (entry?.keys ?? []) : [...(entry?.keys ?? []), key].slice(-KEPT_KEYS),
    };
    if (await deps.records.write(next, etag)) return next;
  }
  throw new DomainError('SERVICE_BUSY', `The ${board.id} entry of ${submission.userId} is changing too fast; retry shortly.`, { retryAfterSeconds: 1 });
}

/**
 * Applies one submission to a player's entry of the current period; with a key (a match id), at
 * most once per key. Returns the entry as the record now has it.
 */
export async function submitScore(deps: LeaderboardDeps, board: Board, submission: ScoreSubmission, key?: string): Promise<LeaderboardEntry> {
  const now = deps.clock.now();
  const period = currentPeriod(board, now);
  const entry = await recordScore(deps, board, period, now, submission, key);
  await deps.index.put(board, period, [entry]);
  return entry;
}

/** POST /api/leaderboards/{id}/scores: game servers, one or up to 1,000; the index takes them in one go. */
export async function submitScores(deps: LeaderboardDeps, caller: Caller, boardId: string, submissions: ScoreSubmission[]): Promise<{ items: LeaderboardEntry[] }> {
  requireStaff(caller, 'Submitting scores');
  const board = findBoard(deps, boardId);
  const now = deps.clock.now();
  const period = currentPeriod(board, now);
  const items: StoredEntry[] = new Array(submissions.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < submissions.length; i = next++) items[i] = await recordScore(deps, board, period, now, submissions[i] as ScoreSubmission, undefined);
  };
  await Promise.all(Array.from({ length: Math.min(SUBMIT_CONCURRENCY, submissions.length) }, worker));
  // One user twice in a batch: the index keeps the newer version either way.
  await deps.index.put(board, period, items);
  return { items };
}

function resolvePeriod(board: Board, now: number, requested: string | undefined): string {
  const current = currentPeriod(board, now);
  if (requested === undefined) return current;
  if (board.reset === null && requested !== current) throw validationError([{ field: 'period', message: `must be "all": ${board.id} never resets` }]);
  if (requested > current) throw validationError([{ field: 'period', message: 'is in the future' }]);
  return requested;
}

async function withNames(deps: LeaderboardDeps, entries: RankedEntry[]): Promise<RankedView[]> {
  const names = await deps.names.usernames(entries.map((e) => e.userId));
  return entries.map(({ version: _version, ...e }) => ({ ...e, username: names.get(e.userId) ?? null }));
}

function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidCursor();
  return Number(match[1]);
}

/** GET /api/leaderboards/{id}: the top, a page at a time. Any signed-in caller. */
export async function topOfBoard(deps: LeaderboardDeps, boardId: string, query: { limit: number; cursor?: string | undefined; period?: string | undefined }): Promise<BoardPage> {
  const board = findBoard(deps, boardId);
  const period = resolvePeriod(board, deps.clock.now(), query.period);
  const offset = decodeOffset(query.cursor);
  const { entries, total } = await deps.index.top(board, period, offset, query.limit);
  const end = offset + entries.length;
  return {
    boardId,
    period,
    total,
    items: await withNames(deps, entries),
    cursor: entries.length === query.limit && end < total ? Buffer.from(`o:${end}`).toString('base64url') : null,
  };
}

/** GET /api/leaderboards/{id}/around/{userId}: the neighbourhood of one player. */
export async function aroundPlayer(deps: LeaderboardDeps, boardId: string, userId: string, query: { limit: number; period?: string | undefined }): Promise<{ boardId: string; period: string; items: RankedView[] }> {
  const board = findBoard(deps, boardId);
  const period = resolvePeriod(board, deps.clock.now(), query.period);
  const entries = await deps.index.around(board, period, userId, query.limit);
  if (entries === null) throw new DomainError('NOT_FOUND', `${userId} has no score on ${boardId} for period ${period}.`);
  return { boardId, period, items: await withNames(deps, entries) };
}

/** GET /api/leaderboards/{id}/users/{userId}: one player's rank and score. */
export async function playerRank(deps: LeaderboardDeps, boardId: string, userId: string, query: { period?: string | undefined }): Promise<RankedView & { boardId: string; period: string }> {
  const board = findBoard(deps, boardId);
  const period = resolvePeriod(board, deps.clock.now(), query.period);
  const entry = await deps.index.rankOf(board, period, userId);
  if (entry === null) throw new DomainError('NOT_FOUND', `${userId} has no score on ${boardId} for period ${period}.`);
  const [view] = await withNames(deps, [entry]);
  return { boardId, period, ...(view as RankedView) };
}

/**
 * The reset timer's run: archives each board's period that has just finished, once across every
 * instance running the timer (the archive record is a create-if-absent claim). The new period is
 * already current by the clock, and empty until its first score.
 */
export async function archiveFinishedPeriods(deps: LeaderboardDeps): Promise<{ boardId: string; period: string }[]> {
  const now = deps.clock.now();
  const archived: { boardId: string; period: string }[] = [];
  for (const board of deps.boards) {
    const finished = previousPeriod(board, now);
    if (finished === null) continue;
    const entries = await deps.index.size(board, finished);
    if (await deps.records.claimArchive(board.id, finished, { entries, archivedAt: new Date(now).toISOString() })) archived.push({ boardId: board.id, period: finished });
  }
  return archived;
}

/** Rebuilds a board's Redis index from the Cosmos records (after Redis lost it). Admins. */
export async function rebuildIndex(deps: LeaderboardDeps, caller: Caller | null, boardId: string, requestedPeriod?: string): Promise<{ boardId: string; period: string; entries: number }> {
  if (caller !== null && !(caller.kind === 'player' && caller.roles.includes('admin'))) throw new DomainError('FORBIDDEN', 'Rebuilding a leaderboard is for admins.');
  const board = findBoard(deps, boardId);
  const period = resolvePeriod(board, deps.clock.now(), requestedPeriod);
  const entries = await deps.index.replace(board, period, deps.records.pages(board.id, period));
  return { boardId, period, entries };
}
