/** What the match routes answer, as the OpenAPI document describes it. */
import type { MatchStatsView } from '../../core/matches/matches.js';
import type { PlayerStatsView } from '../../core/matches/stats-view.js';
import { userStats } from '../activity/contract.js';
import { z } from 'zod';
import type { MatchView } from '../../core/matches/matches.js';
import type { LiveMatch, MatchHistoryEntry } from '../../core/matches/ports.js';
import { OUTCOMES } from '../../core/matches/schemas.js';

const isoDateTime = z.iso.datetime({ offset: true });

export const liveMatch = z
  .object({
    id: z.string(),
    mode: z.string(),
    players: z.array(z.object({ userId: z.string(), team: z.string().optional() })),
    state: z.record(z.string(), z.unknown()).nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'LiveMatch' });
liveMatch satisfies z.ZodType<LiveMatch>;

const playerResult = z.object({
  userId: z.string(),
  outcome: z.enum(OUTCOMES),
  score: z.number().optional(),
  earnings: z.record(z.string(), z.number().int()).optional(),
  stats: z.record(z.string(), z.number()).optional(),
});

export const matchView = z
  .object({ id: z.string(), mode: z.string(), endedAt: isoDateTime, status: z.enum(['applying', 'applied']), results: z.array(playerResult) })
  .meta({ id: 'MatchResult' });
matchView satisfies z.ZodType<MatchView>;

export const resultAnswer = z
  .object({ match: matchView, replayed: z.boolean().meta({ description: 'True when this result had been recorded before: nothing moved twice.' }) })
  .meta({ id: 'MatchResultAnswer' });

export const historyEntry = playerResult.extend({ matchId: z.string(), mode: z.string(), endedAt: isoDateTime }).meta({ id: 'MatchHistoryEntry' });
historyEntry satisfies z.ZodType<MatchHistoryEntry>;

export const historyPage = z.object({ items: z.array(historyEntry), cursor: z.string().nullable() }).meta({ id: 'MatchHistoryPage' });

/** GET /api/users/{id}/stats: the activity counters (activity/contract.ts) and the match stats beside them. */
export const matchStats = z
  .strictObject({
    gamesPlayed: z.number().int(),
    wins: z.number().int(),
    losses: z.number().int(),
    draws: z.number().int(),
    earnings: z.record(z.string(), z.number().int()),
    stats: z.record(z.string(), z.number()),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'MatchStats' });
matchStats satisfies z.ZodType<MatchStatsView>;
export const playerStats = userStats.extend({ matches: matchStats }).meta({ id: 'PlayerStats' });
playerStats satisfies z.ZodType<PlayerStatsView>;
