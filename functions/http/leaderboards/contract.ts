/** What the leaderboard routes answer, as the OpenAPI document describes it. */
import { z } from 'zod';
import type { BoardPage, RankedView } from '../../core/leaderboards/leaderboards.js';

const period = z.string().meta({ description: '"all" for a board that never resets; otherwise the start of the period, e.g. 2026-11-30T00:00:00Z.' });

export const rankedEntry = z
  .object({
    rank: z.number().int().min(1),
    userId: z.string(),
    username: z.string().nullable(),
    score: z.number(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    reachedAt: z.iso.datetime({ offset: true }).meta({ description: 'When the player reached this score: ties rank the earlier first.' }),
  })
  .meta({ id: 'LeaderboardEntry' });
rankedEntry satisfies z.ZodType<RankedView>;

export const boardPage = z
  .object({ boardId: z.string(), period, total: z.number().int(), items: z.array(rankedEntry), cursor: z.string().nullable() })
  .meta({ id: 'LeaderboardPage' });
boardPage satisfies z.ZodType<BoardPage>;

export const aroundPage = z.object({ boardId: z.string(), period, items: z.array(rankedEntry) }).meta({ id: 'LeaderboardNeighbourhood' });

export const playerRank = rankedEntry.extend({ boardId: z.string(), period }).meta({ id: 'LeaderboardRank' });

const submitted = z.object({
  userId: z.string(),
  score: z.number().meta({ description: "The board's score after this submission (its operator applied)." }),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  reachedAt: z.iso.datetime({ offset: true }),
});
export const submittedScores = z.object({ items: z.array(submitted) }).meta({ id: 'SubmittedScores' });

export const rebuildResult = z.object({ boardId: z.string(), period, entries: z.number().int() }).meta({ id: 'LeaderboardRebuild' });
