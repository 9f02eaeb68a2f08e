/** Gameplay AI: an OpenAI-compatible provider, its key through the secret provider, per-caller limits. */
import { z } from 'zod';
import { OpenAiCompletions } from '../../adapters/openai/chat-completions.js';
import type { GameplayAiDeps } from '../../core/ai/gameplay-ai.js';
import { resolveAiTasks } from '../../core/ai/tasks.js';
import type { EventSink } from '../../core/events/outbox.js';
import { featureSettings, int, seconds } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const aiSettings = featureSettings({
  shape: {
    /** The AI provider's API key; in Azure it lives in Key Vault as openai-api-key. */
    OPENAI_API_KEY: z.string().min(1).optional().describe('secret'),
    OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('https://api.openai.com/v1'),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    /** Budget of one AI call, retries included. */
    OPENAI_TIMEOUT_SECONDS: seconds(1, 120, 20),
    OPENAI_MAX_RETRIES: int(0, 3).default(1),
    /** JSON changing, removing (null) or adding gameplay AI tasks; see the README. */
    AI_TASKS: z
      .string()
      .optional()
      .transform((json, ctx) => {
        const result = resolveAiTasks(json);
        if ('tasks' in result) return result.tasks;
        for (const message of result.problems) ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }),
    AI_ALLOW_PLAYERS: z.stringbool().default(false),
    AI_RATE_LIMIT_PER_USER: int(1, 1_000_000).default(20),
    AI_RATE_LIMIT_PER_CALLER: int(1, 1_000_000).default(600),
    AI_RATE_LIMIT_WINDOW_SECONDS: seconds(1, 86_400, 60),
  },
  read: (s) => ({
    ai: {
      baseUrl: s.OPENAI_BASE_URL,
      model: s.OPENAI_MODEL,
      timeoutSeconds: s.OPENAI_TIMEOUT_SECONDS,
      maxRetries: s.OPENAI_MAX_RETRIES,
      tasks: s.AI_TASKS,
      allowPlayers: s.AI_ALLOW_PLAYERS,
      rateLimits: {
        perUser: { name: 'ai-user', max: s.AI_RATE_LIMIT_PER_USER, windowSeconds: s.AI_RATE_LIMIT_WINDOW_SECONDS },
        perCaller: { name: 'ai-caller', max: s.AI_RATE_LIMIT_PER_CALLER, windowSeconds: s.AI_RATE_LIMIT_WINDOW_SECONDS },
      },
    },
  }),
  secret: ['OPENAI_API_KEY'],
  unechoed: ['AI_TASKS'],
});

export type AiConfig = ReturnType<typeof aiSettings.read>;

export function wireAi(config: AiConfig, infra: Infrastructure, events: EventSink): GameplayAiDeps {
  return {
    ai: new OpenAiCompletions({
      baseUrl: config.ai.baseUrl,
      model: config.ai.model,
      timeoutMs: config.ai.timeoutSeconds * 1000,
      maxRetries: config.ai.maxRetries,
    }),
    secrets: infra.secrets,
    apiKeySecret: 'OPENAI_API_KEY',
    rateLimiter: infra.rateLimiter,
    limits: config.ai.rateLimits,
    tasks: config.ai.tasks,
    allowPlayers: config.ai.allowPlayers,
    clock: infra.clock,
    events,
    newId: infra.newId,
    warn: (message, error) => console.warn(message, error),
  };
}
