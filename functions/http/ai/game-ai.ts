import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { maxAiRequestBytes } from '../../core/ai/tasks.js';
import { aiCallerOf, gameplayAiInput, runGameplayAi } from '../../core/ai/gameplay-ai.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** POST /api/game/ai {task, prompt, context?, userId?, maxOutputTokens?}: a gameplay task done by the AI provider. */
export async function gameAi(request: HttpRequest, services: Services, context: InvocationContext): Promise<HttpResponseInit> {
  const caller = aiCallerOf(services.gameplayAi, await authenticate(request, services));
  const input = await readJson(request, gameplayAiInput, { maxBytes: maxAiRequestBytes(services.gameplayAi.tasks) });
  const deps = { ...services.gameplayAi, warn: (message: string, error: unknown) => context.warn(message, error) };
  return json(200, await runGameplayAi(deps, caller, input));
}

app.http('gameAi', { route: 'api/game/ai', methods: ['POST'], authLevel: 'anonymous', handler: handle(gameAi) });
