import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { maxAiRequestBytes } from '../../core/ai/tasks.js';
import { aiCallerOf, runGameplayAi } from '../../core/ai/gameplay-ai.js';
import { gameplayAiInput } from '../../core/ai/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { gameplayAiResult } from './contract.js';

/** The provider call is bounded by OPENAI_TIMEOUT_SECONDS and OPENAI_MAX_RETRIES; the edge allows for them. */
const AI_REQUEST_BUDGET_MS = 120_000;

/** POST /api/game/ai {task, prompt, context?, userId?, maxOutputTokens?}: a gameplay task done by the AI provider. */
export async function gameAi(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'gameplayAi'>, context: InvocationContext): Promise<HttpResponseInit> {
  const caller = aiCallerOf(services.gameplayAi, await authenticate(request, services));
  const input = await readJson(request, gameplayAiInput, { maxBytes: maxAiRequestBytes(services.gameplayAi.tasks) });
  const deps = { ...services.gameplayAi, warn: (message: string, error: unknown) => context.warn(message, error) };
  return json(200, await runGameplayAi(deps, caller, input));
}

httpFunction('gameAi', {
  route: 'game/ai',
  tag: 'ai',
  handler: gameAi,
  budgetMs: AI_REQUEST_BUDGET_MS,
  operations: {
    POST: {
      summary: 'Run a gameplay AI task (game servers; players when AI_ALLOW_PLAYERS)',
      description: 'The task names an entry of the AI_TASKS catalog, which holds the instructions and limits.',
      auth: 'bearer',
      body: gameplayAiInput,
      responses: { 200: { description: 'The provider\'s answer.', body: gameplayAiResult } },
      problems: [400, 401, 403, 413, 415, 429, 502, 503, 504],
    },
  },
});
