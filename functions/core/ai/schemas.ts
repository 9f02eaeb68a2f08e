/** Input rules for the gameplay AI trigger. */
import { z } from 'zod';
import { boundedJson } from '../kernel/json-depth.js';

/** User ids are ours (UUIDs) but arrive from game servers: keep them to a shape safe in keys and logs. */
export const AI_USER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

export const gameplayAiInput = z.strictObject({
  task: z.string().min(1, 'is required').max(64, 'must be at most 64 characters'),
  prompt: z.string().refine((value) => value.trim().length > 0, 'must not be empty'),
  context: boundedJson(z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a string or a JSON object' })).optional(),
  userId: z.string().regex(AI_USER_ID, 'must be 1-128 characters of letters, digits and _ . : @ -').optional(),
  maxOutputTokens: z.int('must be a whole number').min(1, 'must be at least 1').optional(),
});
export type GameplayAiInput = z.infer<typeof gameplayAiInput>;
