import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { maxAiRequestBytes } from '../core/ai-tasks.js';
import { gameplayAiInput, runGameplayAi, type AiCaller } from '../core/gameplay-ai.js';
import { DomainError } from '../core/errors.js';
import { authenticate } from '../platform/auth.js';
import { DEFAULT_MAX_BODY_BYTES, handle, json, readJson } from '../platform/http.js';
import { getServices } from '../platform/services.js';

/** POST /api/game/ai {task, prompt, context?, userId?, maxOutputTokens?}: a gameplay task done by the AI provider. */
export async function gameAi(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const services = await getServices();
  const principal = await authenticate(request, services);
  if (principal.kind !== 'service' && !services.config.ai.allowPlayers) {
    throw new DomainError('FORBIDDEN', 'This endpoint is for game servers (role "game-server").');
  }
  const caller: AiCaller = { id: principal.subject, kind: principal.kind === 'service' ? 'game-server' : 'player' };

  const maxBytes = Math.max(DEFAULT_MAX_BODY_BYTES, maxAiRequestBytes(services.config.ai.tasks));
  const input = await readJson(request, gameplayAiInput, { maxBytes });
  const deps = { ...services.gameplayAi, warn: (message: string, error: unknown) => context.warn(message, error) };
  return json(200, await runGameplayAi(deps, caller, input));
}

app.http('gameAi', { route: 'game/ai', methods: ['POST'], authLevel: 'anonymous', handler: handle(gameAi) });
