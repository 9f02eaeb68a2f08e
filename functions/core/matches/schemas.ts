/** Match inputs, shared by every trigger. */
import { z } from 'zod';

export const MATCH_ID = /^[A-Za-z0-9._:~-]{1,128}$/;
export const MAX_STATE_BYTES = 16 * 1024;
export const MAX_PLAYERS = 100;
export const OUTCOMES = ['win', 'loss', 'draw'] as const;

const userId = z.string('must be a string').min(1, 'is required').max(64);
const mode = z.string('must be a string').min(1, 'is required').max(64);

export const liveMatchInput = z.strictObject({
  mode,
  players: z
    .array(z.strictObject({ userId, team: z.string().max(64).optional() }))
    .min(1, 'needs at least one player')
    .max(MAX_PLAYERS, `has at most ${MAX_PLAYERS} players`)
    .refine((ps) => new Set(ps.map((p) => p.userId)).size === ps.length, 'names a player twice'),
  state: z
    .record(z.string(), z.unknown())
    .refine((s) => Buffer.byteLength(JSON.stringify(s)) <= MAX_STATE_BYTES, `must be at most ${MAX_STATE_BYTES} bytes as JSON`)
    .optional(),
});
export type LiveMatchInput = z.infer<typeof liveMatchInput>;

const amount = z.number('must be a number').int('must be a whole number of minor units').min(0, 'must not be negative').max(1_000_000_000);
const statValue = z.number('must be a number').refine(Number.isFinite, 'must be finite');

export const playerResult = z.strictObject({
  userId,
  outcome: z.enum(OUTCOMES, 'must be win, loss or draw'),
  score: statValue.optional(),
  earnings: z.record(z.string(), amount).optional(),
  stats: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'must be a stat name'), statValue).optional(),
});
export type PlayerResult = z.infer<typeof playerResult>;

export const matchResultInput = z.strictObject({
  /** When the match is not live any more (or never was), its mode comes from here. */
  mode: mode.optional(),
  endedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  results: z
    .array(playerResult)
    .min(1, 'needs at least one player')
    .max(MAX_PLAYERS, `has at most ${MAX_PLAYERS} players`)
    .refine((rs) => new Set(rs.map((r) => r.userId)).size === rs.length, 'names a player twice'),
});
export type MatchResultInput = z.infer<typeof matchResultInput>;
