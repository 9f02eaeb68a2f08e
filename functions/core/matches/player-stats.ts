/**
 * Per-player match stats: games played, outcomes, earnings per currency and named stats, each
 * named stat kept by its configured aggregation (STATS: sum, max, min or last, as PlayFab has them).
 */
import type { Aggregation, PlayerStats } from './ports.js';
import type { PlayerResult } from './schemas.js';

// A retried result comes soon after the first; older matches cannot come back.
const KEPT_MATCH_IDS = 64;

export function emptyPlayerStats(userId: string): PlayerStats {
  return { userId, gamesPlayed: 0, wins: 0, losses: 0, draws: 0, earnings: {}, stats: {}, matchIds: [], updatedAt: new Date(0).toISOString() };
}

export function aggregate(how: Aggregation, current: number | undefined, value: number): number {
  if (current === undefined || how === 'last') return value;
  if (how === 'sum') return current + value;
  return how === 'max' ? Math.max(current, value) : Math.min(current, value);
}

/** The stats with one match counted; unchanged (the same object) if it was counted before. */
export function countMatch(stats: PlayerStats, matchId: string, result: PlayerResult, aggregations: Record<string, Aggregation>, now: string): PlayerStats {
  if (stats.matchIds.includes(matchId)) return stats;
  const earnings = { ...stats.earnings };
  for (const [currency, amount] of Object.entries(result.earnings ?? {})) earnings[currency] = (earnings[currency] ?? 0) + amount;
  const named = { ...stats.stats };
  for (const [name, value] of Object.entries(result.stats ?? {})) named[name] = aggregate(aggregations[name] ?? 'sum', named[name], value);
  return {
    ...stats,
    gamesPlayed: stats.gamesPlayed + 1,
    wins: stats.wins + (result.outcome === 'win' ? 1 : 0),
    losses: stats.losses + (result.outcome === 'loss' ? 1 : 0),
    draws: stats.draws + (result.outcome === 'draw' ? 1 : 0),
    earnings,
    stats: named,
    matchIds: [...stats.matchIds, matchId].slice(-KEPT_MATCH_IDS),
    updatedAt: now,
  };
}

/** What a leaderboard source (`wins`, `earnings.gold`, `stats.kills`, ...) takes from one player's result. */
export function sourceValue(source: string, result: PlayerResult): number | undefined {
  if (source === 'score') return result.score;
  if (source === 'wins') return result.outcome === 'win' ? 1 : undefined;
  if (source === 'losses') return result.outcome === 'loss' ? 1 : undefined;
  if (source === 'draws') return result.outcome === 'draw' ? 1 : undefined;
  if (source === 'gamesPlayed') return 1;
  if (source.startsWith('earnings.')) return result.earnings?.[source.slice('earnings.'.length)];
  if (source.startsWith('stats.')) return result.stats?.[source.slice('stats.'.length)];
  return undefined;
}
