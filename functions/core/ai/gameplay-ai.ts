/**
 * Gameplay AI: a game server (or, when allowed, a player) hands a gameplay task to the AI provider
 * through this service, so the provider's key never sits on a game server.
 */
import type { Caller } from '../kernel/caller.js';
import type { AiTask, AiTaskCatalog } from './tasks.js';
import { CredentialRejectedError, DomainError, validationError, type FieldError } from '../kernel/errors.js';
import { userEvent } from '../events/events.js';
import type { EventSink } from '../events/outbox.js';
import type { AiCompletion, AiCompletionRequest, AiCompletions, AiUsage } from './ports.js';
import type { Clock } from '../kernel/clock.js';
import type { RateLimit, RateLimiter } from '../kernel/rate-limits.js';
import type { SecretProvider } from '../kernel/secrets.js';
import type { GameplayAiInput } from './schemas.js';


export interface GameplayAiDeps {
  ai: AiCompletions;
  secrets: SecretProvider;
  /** The app-setting name of the provider's API key, e.g. OPENAI_API_KEY. */
  apiKeySecret: string;
  rateLimiter: RateLimiter;
  limits: { perUser: RateLimit; perCaller: RateLimit };
  tasks: AiTaskCatalog;
  /** Players may call it themselves (AI_ALLOW_PLAYERS); otherwise only game servers. */
  allowPlayers: boolean;
  clock: Clock;
  /** Emits userActivity (aiRequest) for the user involved. */
  events: EventSink;
  newId: () => string;
  /** Reports a failure that must not fail the request (the answer is already paid for). */
  warn: (message: string, error: unknown) => void;
}

export interface AiCaller {
  /** The token's subject: a game server's client id or a player's user id. */
  id: string;
  kind: 'game-server' | 'player';
}

/** Who may ask: game servers always, players only when the deployment allows it. */
export function aiCallerOf(deps: Pick<GameplayAiDeps, 'allowPlayers'>, caller: Caller): AiCaller {
  if (caller.kind !== 'service' && !deps.allowPlayers) {
    throw new DomainError('FORBIDDEN', 'This endpoint is for game servers (role "game-server").');
  }
  return { id: caller.subject, kind: caller.kind === 'service' ? 'game-server' : 'player' };
}

export interface GameplayAiResult {
  task: string;
  output: string;
  model: string;
  finishReason: string | null;
  usage: AiUsage;
}

export async function runGameplayAi(deps: GameplayAiDeps, caller: AiCaller, input: GameplayAiInput): Promise<GameplayAiResult> {
  const task = deps.tasks.get(input.task);
  if (task === undefined) {
    throw validationError([{ field: 'task', message: `must be one of: ${[...deps.tasks.keys()].sort().join(', ')}` }]);
  }
  const context = input.context === undefined ? undefined : typeof input.context === 'string' ? input.context : JSON.stringify(input.context);
  checkLimits(input, task, context);
  const userId = userInvolved(caller, input.userId);

  const apiKey = await deps.secrets.get(deps.apiKeySecret);
  if (apiKey === undefined) throw new DomainError('NOT_CONFIGURED', 'Gameplay AI is not configured on this service.');
  await enforceRateLimits(deps, caller.id, userId);

  const request: AiCompletionRequest = {
    instructions: task.instructions,
    prompt: input.prompt,
    context,
    maxOutputTokens: input.maxOutputTokens ?? task.maxOutputTokens,
    temperature: task.temperature,
  };
  const completion = await completeWithFreshKey(deps, request, apiKey);

  if (userId !== null) {
    const event = userEvent(deps.newId(), 'userActivity', {
      userId,
      activity: 'aiRequest',
      // What and how much, never the prompt or the answer: events fan out to many subscribers.
      details: { task: input.task, callerId: caller.id, model: completion.model, inputTokens: completion.usage.inputTokens, outputTokens: completion.usage.outputTokens },
      timestamp: new Date(deps.clock.now()).toISOString(),
    });
    await deps.events.emit([event]).catch((error: unknown) => deps.warn('gameplay-ai: recording userActivity failed', error));
  }
  return { task: input.task, ...completion };
}

function checkLimits(input: GameplayAiInput, task: AiTask, context: string | undefined): void {
  const errors: FieldError[] = [];
  if (input.prompt.length > task.maxPromptChars) {
    errors.push({ field: 'prompt', message: `must be at most ${task.maxPromptChars} characters for task "${input.task}" (it is ${input.prompt.length})` });
  }
  if (context !== undefined && context.length > task.maxContextChars) {
    const what = typeof input.context === 'string' ? '' : ' as JSON';
    errors.push({ field: 'context', message: `must be at most ${task.maxContextChars} characters${what} for task "${input.task}" (it is ${context.length})` });
  }
  if (input.maxOutputTokens !== undefined && input.maxOutputTokens > task.maxOutputTokens) {
    errors.push({ field: 'maxOutputTokens', message: `must be at most ${task.maxOutputTokens} for task "${input.task}"` });
  }
  if (errors.length > 0) throw validationError(errors);
}

/** The player the request is about: a game server names one (or none); a player is always themselves. */
function userInvolved(caller: AiCaller, userId: string | undefined): string | null {
  if (caller.kind === 'game-server') return userId ?? null;
  if (userId !== undefined && userId !== caller.id) {
    throw new DomainError('FORBIDDEN', 'A player may only make AI requests for themselves; leave userId out or use your own.');
  }
  return caller.id;
}

async function enforceRateLimits(deps: GameplayAiDeps, callerId: string, userId: string | null): Promise<void> {
  const checks = [deps.rateLimiter.consume(deps.limits.perCaller, callerId)];
  if (userId !== null) checks.push(deps.rateLimiter.consume(deps.limits.perUser, userId));
  const refused = (await Promise.all(checks)).filter((state) => !state.allowed);
  if (refused.length > 0) {
    const retryAfterSeconds = Math.max(...refused.map((state) => state.retryAfterSeconds));
    throw new DomainError('RATE_LIMITED', `Too many AI requests; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}

/** A refused key is reported to the secret provider, which may know a newer one: that gets one more try. */
async function completeWithFreshKey(deps: GameplayAiDeps, request: AiCompletionRequest, apiKey: string): Promise<AiCompletion> {
  try {
    return await deps.ai.complete(request, apiKey);
  } catch (error) {
    if (!(error instanceof CredentialRejectedError)) throw error;
    const next = await deps.secrets.rejected(deps.apiKeySecret, apiKey);
    if (next === undefined || next === apiKey) throw keyRefused(error);
    try {
      return await deps.ai.complete(request, next);
    } catch (retryError) {
      throw retryError instanceof CredentialRejectedError ? keyRefused(retryError) : retryError;
    }
  }
}

function keyRefused(cause: CredentialRejectedError): DomainError {
  return new DomainError('UPSTREAM_FAILED', "The AI provider refused this service's credentials.", { cause });
}
