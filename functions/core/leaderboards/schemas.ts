/** Leaderboard inputs, shared by every trigger. */
import { z } from 'zod';

const userId = z.string('must be a string').min(1, 'is required').max(64);
const metadata = z
  .record(z.string(), z.unknown())
  .refine((m) => JSON.stringify(m).length <= 2048, 'must be at most 2 KiB as JSON')
  .nullable()
  .optional();

export const scoreSubmission = z.strictObject({
  userId,
  score: z.number('must be a number').refine(Number.isFinite, 'must be finite').refine((n) => Math.abs(n) <= 2 ** 53, 'is too large'),
  metadata,
});
export type ScoreSubmission = z.infer<typeof scoreSubmission>;

export const MAX_SCORE_BATCH = 1_000;

/** One submission, or `{items: [...]}` with up to 1,000. */
export const scoreInput = z.union([
  scoreSubmission,
  z.strictObject({ items: z.array(scoreSubmission).min(1, 'needs at least one item').max(MAX_SCORE_BATCH, `has at most ${MAX_SCORE_BATCH} items`) }),
]);
export type ScoreInput = z.infer<typeof scoreInput>;

const period = z.string().regex(/^(all|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/, 'must be "all" or a period start like 2026-11-30T00:00:00Z').optional();

export const topQuery = z.strictObject({
  limit: z.coerce.number('must be a number').int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  cursor: z
    .string()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  period,
});

export const aroundQuery = z.strictObject({
  limit: z.coerce.number('must be a number').int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(11),
  period,
});

export const rankQuery = z.strictObject({ period });
