/** Matches and player stats: live matches in Redis, results and per-player records in Cosmos. */
import { z } from 'zod';
import { CosmosMatchRecords, CosmosPlayerMatches } from '../../adapters/cosmos/matches.js';
import { RedisLiveMatches } from '../../adapters/redis/live-matches.js';
import type { UserRepository } from '../../core/accounts/ports.js';
import type { EventSink } from '../../core/events/outbox.js';
import type { LeaderboardDeps } from '../../core/leaderboards/leaderboards.js';
import type { MatchDeps } from '../../core/matches/matches.js';
import type { Aggregation } from '../../core/matches/ports.js';
import type { WalletDeps } from '../../core/wallet/wallet.js';
import { featureSettings, int, schedule } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const MATCH_SCHEDULE_DEFAULTS = { MATCH_REPAIR_SCHEDULE: '*/30 * * * * *' } as const;

/** The example stats: one of each aggregation. */
export const DEFAULT_STATS: Record<string, Aggregation> = { kills: 'sum', deaths: 'sum', bestStreak: 'max', fastestLapMs: 'min', rating: 'last' };

const statsSetting = z
  .string()
  .optional()
  .transform((text, ctx): Record<string, Aggregation> => {
    if (text === undefined) return DEFAULT_STATS;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"statName": "sum" | "max" | "min" | "last"}' });
      return z.NEVER;
    }
    const parsed = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'is not a stat name'), z.enum(['sum', 'max', 'min', 'last'])).safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || 'value'}: ${issue.message}` });
      return z.NEVER;
    }
    return parsed.data;
  })
  .describe('azure-required');

export const matchSettings = featureSettings({
  shape: {
    /** How long a live match stays readable without an update (and the "ended" marker after its result). */
    MATCH_TTL_SECONDS: int(60, 7 * 86_400).default(7_200),
    STATS: statsSetting,
    /** When results whose application stopped halfway (a crash) are finished. */
    MATCH_REPAIR_SCHEDULE: schedule(MATCH_SCHEDULE_DEFAULTS.MATCH_REPAIR_SCHEDULE),
  },
  read: (s) => ({ matches: { ttlSeconds: s.MATCH_TTL_SECONDS, stats: s.STATS } }),
  unechoed: ['STATS'],
});

export type MatchesConfig = ReturnType<typeof matchSettings.read>;

export function wireMatches(
  config: MatchesConfig,
  infra: Infrastructure,
  events: EventSink,
  users: Pick<UserRepository, 'findById'>,
  leaderboards: LeaderboardDeps,
  wallet: WalletDeps,
): MatchDeps {
  return {
    live: new RedisLiveMatches(infra.redis, infra.keyPrefix),
    records: new CosmosMatchRecords(infra.cosmos),
    players: new CosmosPlayerMatches(infra.cosmos),
    leaderboards,
    wallet,
    events,
    clock: infra.clock,
    users,
    stats: config.matches.stats,
    ttlSeconds: config.matches.ttlSeconds,
  };
}
