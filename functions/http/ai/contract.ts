/** What the gameplay AI route answers. */
import { z } from 'zod';
import type { GameplayAiResult } from '../../core/ai/gameplay-ai.js';

export const gameplayAiResult = z
  .strictObject({
    task: z.string(),
    output: z.string(),
    model: z.string(),
    finishReason: z.string().nullable().meta({ description: 'As the provider says it: "stop", "length", "content_filter", ...' }),
    usage: z.strictObject({ inputTokens: z.number().int(), outputTokens: z.number().int(), totalTokens: z.number().int() }),
  })
  .meta({ id: 'GameplayAiResult' });
gameplayAiResult satisfies z.ZodType<GameplayAiResult>;
