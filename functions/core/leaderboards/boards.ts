/**
 * Leaderboard configuration (LEADERBOARDS) and periods. A board with a reset schedule has one
 * period per interval between firings, named by its start; the current one follows the clock, so
 * every instance agrees on where a score goes, and the reset timer only archives what finished.
 */
import { z } from 'zod';

export const SORTS = ['desc', 'asc'] as const;
export const OPERATORS = ['best', 'sum', 'set'] as const;

/**
 * What feeds a board from match results: `score`, `wins`, `losses`, `draws`, `gamesPlayed`,
 * `earnings.<currency>` or `stats.<name>`; null: only direct submissions.
 */
export const SOURCE_PATTERN = /^(score|wins|losses|draws|gamesPlayed|earnings\.[a-z][a-z0-9_-]{0,31}|stats\.[A-Za-z][A-Za-z0-9_.-]{0,63})$/;

export const boardConfig = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, _ and - (at most 64)'),
  sort: z.enum(SORTS).default('desc'),
  operator: z.enum(OPERATORS).default('best'),
  /** NCRONTAB (six fields, UTC), or null for a board that never resets. */
  reset: z.string().nullable().default(null),
  source: z.string().regex(SOURCE_PATTERN, 'must be score, wins, losses, draws, gamesPlayed, earnings.<currency> or stats.<name>').nullable().default(null),
});
export type BoardConfig = z.output<typeof boardConfig>;

export const DEFAULT_LEADERBOARDS: BoardConfig[] = [
  { id: 'high-score', sort: 'desc', operator: 'best', reset: null, source: 'score' },
  { id: 'wins', sort: 'desc', operator: 'sum', reset: '0 0 0 * * Mon', source: 'wins' },
];

/** A configured board with its schedule read: where a time falls. */
export interface Board extends BoardConfig {
  /** The start of the period holding this instant (ms), or null for a board that never resets. */
  periodStart(atMs: number): number | null;
}

/** The one period of a board that never resets. */
export const ALL_TIME = 'all';

export function periodId(startMs: number | null): string {
  return startMs === null ? ALL_TIME : new Date(startMs).toISOString().replace('.000Z', 'Z');
}

export function currentPeriod(board: Board, nowMs: number): string {
  return periodId(board.periodStart(nowMs));
}

/** The period that ended when the current one began; null for boards that never reset. */
export function previousPeriod(board: Board, nowMs: number): string | null {
  const start = board.periodStart(nowMs);
  if (start === null) return null;
  return periodId(board.periodStart(start - 1));
}

/** Whether better means higher (desc) or lower (asc). */
export function isBetter(board: Pick<BoardConfig, 'sort'>, candidate: number, current: number): boolean {
  return board.sort === 'desc' ? candidate > current : candidate < current;
}

/** The board's score after a submission under its operator. */
export function combine(board: Pick<BoardConfig, 'sort' | 'operator'>, current: number | null, submitted: number): number {
  if (current === null) return submitted;
  if (board.operator === 'sum') return current + submitted;
  if (board.operator === 'set') return submitted;
  return isBetter(board, submitted, current) ? submitted : current;
}
