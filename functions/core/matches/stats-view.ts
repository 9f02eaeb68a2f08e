/** GET /api/users/{id}/stats: today's activity counters and the match stats, read side by side. */
import { readStats, type StatsRepository, type UserStats } from '../activity/stats.js';
import type { UserRepository } from '../accounts/ports.js';
import type { Caller } from '../kernel/caller.js';
import { readMatchStats, type MatchStatsView } from './matches.js';
import type { PlayerMatchRepository } from './ports.js';

export type PlayerStatsView = Omit<UserStats, 'watermark'> & { matches: MatchStatsView };

export async function readPlayerStats(
  deps: { activity: { stats: StatsRepository; users: Pick<UserRepository, 'findById'> }; matches: { players: PlayerMatchRepository } },
  caller: Caller,
  userId: string,
): Promise<PlayerStatsView> {
  // readStats checks the caller and that the user exists; the match stats read runs alongside.
  const [activity, matches] = await Promise.all([readStats(deps.activity, caller, userId), readMatchStats(deps.matches, userId)]);
  return { ...activity, matches };
}
