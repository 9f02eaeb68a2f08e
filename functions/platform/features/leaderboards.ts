/** Leaderboards: LEADERBOARDS (JSON), the Redis index, the Cosmos records; names from the public-profile cache. */
import { z } from 'zod';
import { CosmosLeaderboardRecords } from '../../adapters/cosmos/leaderboards.js';
import { RedisLeaderboardIndex } from '../../adapters/redis/leaderboards.js';
import { boardConfig, DEFAULT_LEADERBOARDS, type Board, type BoardConfig } from '../../core/leaderboards/boards.js';
import type { LeaderboardDeps } from '../../core/leaderboards/leaderboards.js';
import type { ProfileNames } from '../../core/accounts/ports.js';
import { parseSchedule } from '../schedule.js';
import { featureSettings, schedule } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const LEADERBOARD_SCHEDULE_DEFAULTS = { LEADERBOARD_RESET_SCHEDULE: '5 * * * * *' } as const;

/** Read once at start-up: a board list that does not parse, or a reset that is no NCRONTAB, stops the app. */
const leaderboardsSetting = z
  .string()
  .optional()
  .transform((text, ctx): BoardConfig[] => {
    if (text === undefined) return DEFAULT_LEADERBOARDS;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: [{"id", "sort", "operator", "reset", "source"}]' });
      return z.NEVER;
    }
    const parsed = z.array(boardConfig).max(100).safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `[${issue.path.join('].')}] ${issue.message}`.replace('].]', ']') });
      return z.NEVER;
    }
    const seen = new Set<string>();
    parsed.data.forEach((board, i) => {
      if (seen.has(board.id)) ctx.addIssue({ code: 'custom', message: `[${i}].id "${board.id}" names a board twice` });
      seen.add(board.id);
      if (board.reset !== null) {
        try {
          parseSchedule(board.reset);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `[${i}].reset ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    });
    return parsed.data;
  })
  .describe('azure-required');

export const leaderboardSettings = featureSettings({
  shape: {
    LEADERBOARDS: leaderboardsSetting,
    /** When finished periods are archived; a period is over by the clock, this only records it. */
    LEADERBOARD_RESET_SCHEDULE: schedule(LEADERBOARD_SCHEDULE_DEFAULTS.LEADERBOARD_RESET_SCHEDULE),
  },
  read: (s) => ({ leaderboards: { boards: s.LEADERBOARDS } }),
  unechoed: ['LEADERBOARDS'],
});

export type LeaderboardsConfig = ReturnType<typeof leaderboardSettings.read>;

export function boardOf(config: BoardConfig): Board {
  const reset = config.reset === null ? null : parseSchedule(config.reset);
  return { ...config, periodStart: (atMs) => (reset === null ? null : (reset.latest(atMs) ?? 0)) };
}

export function wireLeaderboards(config: LeaderboardsConfig, infra: Infrastructure, names: ProfileNames): LeaderboardDeps {
  return {
    boards: config.leaderboards.boards.map(boardOf),
    records: new CosmosLeaderboardRecords(infra.cosmos),
    index: new RedisLeaderboardIndex(infra.redis, infra.keyPrefix),
    names,
    clock: infra.clock,
  };
}
