import { describe, expect, it } from 'vitest';
import { DEFAULT_AI_TASKS, type AiTaskCatalog } from '../../functions/core/ai/tasks.js';
import { CredentialRejectedError } from '../../functions/core/kernel/errors.js';
import { runGameplayAi, type AiCaller, type GameplayAiDeps } from '../../functions/core/ai/gameplay-ai.js';
import type { GameplayAiInput } from '../../functions/core/ai/schemas.js';
import type { EventSink } from '../../functions/core/events/outbox.js';
import type { UserEvent } from '../../functions/core/events/events.js';
import type { AiCompletion, AiCompletionRequest, AiCompletions } from '../../functions/core/ai/ports.js';
import { FakeSecrets } from '../support/ai.js';
import { FakeRateLimiter } from '../support/fakes.js';
import { domainError } from '../support/expect-errors.js';

const NOW = Date.parse('2026-06-28T12:00:00Z');
const gameServer: AiCaller = { id: 'game-server-eu-1', kind: 'game-server' };
const player: AiCaller = { id: 'player-7', kind: 'player' };

/** Answers with fixed figures; keys in `refuse` get a CredentialRejectedError, as a provider 401 does. */
class FakeAi implements AiCompletions {
  readonly calls: { request: AiCompletionRequest; apiKey: string }[] = [];
  constructor(public refuse: string[] = []) {}
  async complete(request: AiCompletionRequest, apiKey: string): Promise<AiCompletion> {
    this.calls.push({ request, apiKey });
    if (this.refuse.includes(apiKey)) throw new CredentialRejectedError();
    return { output: `reply to ${request.prompt}`, model: 'gpt-test-2026', finishReason: 'stop', usage: { inputTokens: 30, outputTokens: 7, totalTokens: 37 } };
  }
}

class RecordingEvents implements EventSink {
  readonly published: Omit<UserEvent, 'id'>[][] = [];
  constructor(private readonly fail = false) {}
  async emit(events: UserEvent[]): Promise<void> {
    this.published.push(events.map(({ type, data }) => ({ type, data }) as Omit<UserEvent, 'id'>));
    if (this.fail) throw new Error('outbox down');
  }
  async deliver(): Promise<void> {
    throw new Error('gameplay AI writes no document of its own to carry events');
  }
}

function setup(overrides: Partial<GameplayAiDeps> = {}) {
  const ai = new FakeAi();
  const secrets = new FakeSecrets('sk-one');
  const rateLimiter = new FakeRateLimiter(17);
  const warnings: string[] = [];
  const deps: GameplayAiDeps = {
    ai,
    secrets,
    apiKeySecret: 'OPENAI_API_KEY',
    rateLimiter,
    limits: { perUser: { name: 'ai-user', max: 2, windowSeconds: 60 }, perCaller: { name: 'ai-caller', max: 3, windowSeconds: 60 } },
    tasks: new Map(Object.entries(DEFAULT_AI_TASKS)) as AiTaskCatalog,
    allowPlayers: false,
    clock: { now: () => NOW },
    events: new RecordingEvents(),
    newId: () => 'event-1',
    warn: (message) => warnings.push(message),
    ...overrides,
  };
  return { deps, ai, secrets, rateLimiter, warnings };
}

const hint = (change: Partial<GameplayAiInput> = {}): GameplayAiInput => ({ task: 'hint', prompt: 'How do I open the gate?', ...change });


describe('runGameplayAi', () => {
  it("sends the task's instructions, the prompt, the context and the task's token limit, and returns the completion", async () => {
    const { deps, ai } = setup();
    const result = await runGameplayAi(deps, gameServer, hint({ context: { room: 'crypt', torches: 2 } }));
    expect(result).toEqual({ task: 'hint', output: 'reply to How do I open the gate?', model: 'gpt-test-2026', finishReason: 'stop', usage: { inputTokens: 30, outputTokens: 7, totalTokens: 37 } });
    expect(ai.calls).toEqual([
      {
        apiKey: 'sk-one',
        request: { instructions: DEFAULT_AI_TASKS['hint']?.instructions, prompt: 'How do I open the gate?', context: '{"room":"crypt","torches":2}', maxOutputTokens: 120, temperature: undefined },
      },
    ]);
  });

  it('uses a smaller maxOutputTokens when asked, and refuses one over the task limit naming the field', async () => {
    const { deps, ai } = setup();
    await runGameplayAi(deps, gameServer, hint({ maxOutputTokens: 40 }));
    expect(ai.calls[0]?.request.maxOutputTokens).toBe(40);
    const error = await domainError(runGameplayAi(deps, gameServer, hint({ maxOutputTokens: 121 })));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors).toEqual([{ field: 'maxOutputTokens', message: 'must be at most 120 for task "hint"' }]);
  });

  it('names every oversized field at once, before spending a key or a rate-limit slot', async () => {
    const { deps, ai, rateLimiter } = setup();
    const error = await domainError(runGameplayAi(deps, gameServer, hint({ prompt: 'x'.repeat(1_001), context: 'y'.repeat(8_001) })));
    expect(error.errors).toEqual([
      { field: 'prompt', message: 'must be at most 1000 characters for task "hint" (it is 1001)' },
      { field: 'context', message: 'must be at most 8000 characters for task "hint" (it is 8001)' },
    ]);
    expect(ai.calls).toHaveLength(0);
    expect(rateLimiter.calls).toHaveLength(0);
  });

  it('refuses an unknown task, listing the known ones', async () => {
    const { deps } = setup();
    const error = await domainError(runGameplayAi(deps, gameServer, hint({ task: 'poem' })));
    expect(error.errors).toEqual([{ field: 'task', message: 'must be one of: hint, npc-dialogue, quest-text' }]);
  });

  it('answers NOT_CONFIGURED without a key, counting nothing', async () => {
    const { deps, rateLimiter } = setup({ secrets: new FakeSecrets(undefined) });
    const error = await domainError(runGameplayAi(deps, gameServer, hint()));
    expect(error.code).toBe('NOT_CONFIGURED');
    expect(rateLimiter.calls).toEqual([]);
  });

  it('counts the caller and the user involved, and answers RATE_LIMITED with the wait when either is used up', async () => {
    const { deps, rateLimiter } = setup();
    await runGameplayAi(deps, gameServer, hint({ userId: 'u1' }));
    await runGameplayAi(deps, gameServer, hint({ userId: 'u1' }));
    expect(rateLimiter.calls).toEqual(['ai-caller:game-server-eu-1', 'ai-user:u1', 'ai-caller:game-server-eu-1', 'ai-user:u1']);
    const perUser = await domainError(runGameplayAi(deps, gameServer, hint({ userId: 'u1' })));
    expect(perUser).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 17 });
    // The caller's fourth request is over its limit of 3 whoever it is for.
    const perCaller = await domainError(runGameplayAi(deps, gameServer, hint({ userId: 'u2' })));
    expect(perCaller.code).toBe('RATE_LIMITED');
  });

  it('lets a player ask only for themselves', async () => {
    const { deps, rateLimiter } = setup();
    await runGameplayAi(deps, player, hint());
    await runGameplayAi(deps, player, hint({ userId: 'player-7' }));
    expect(rateLimiter.calls).toContain('ai-user:player-7');
    const error = await domainError(runGameplayAi(deps, player, hint({ userId: 'player-8' })));
    expect(error.code).toBe('FORBIDDEN');
  });

  it('reports a refused key to the secret provider and retries once with the newer one', async () => {
    const ai = new FakeAi(['sk-old']);
    const secrets = new FakeSecrets('sk-old', 'sk-new');
    const { deps } = setup({ ai, secrets });
    const result = await runGameplayAi(deps, gameServer, hint());
    expect(result.output).toBe('reply to How do I open the gate?');
    expect(secrets.rejections).toEqual([['OPENAI_API_KEY', 'sk-old']]);
    expect(ai.calls.map((c) => c.apiKey)).toEqual(['sk-old', 'sk-new']);
  });

  it('gives up with UPSTREAM_FAILED when no newer key is known, or the newer one is refused too', async () => {
    const same = setup({ ai: new FakeAi(['sk-old']), secrets: new FakeSecrets('sk-old') });
    const error = await domainError(runGameplayAi(same.deps, gameServer, hint()));
    expect(error.code).toBe('UPSTREAM_FAILED');
    expect(error.message).not.toContain('sk-');
    expect((same.deps.ai as FakeAi).calls).toHaveLength(1);

    const both = setup({ ai: new FakeAi(['sk-old', 'sk-new']), secrets: new FakeSecrets('sk-old', 'sk-new') });
    expect((await domainError(runGameplayAi(both.deps, gameServer, hint()))).code).toBe('UPSTREAM_FAILED');
    expect((both.deps.ai as FakeAi).calls).toHaveLength(2);
  });

  it('publishes userActivity aiRequest for the user involved, without prompt or output', async () => {
    const events = new RecordingEvents();
    const { deps } = setup({ events });
    await runGameplayAi(deps, gameServer, hint({ userId: 'u-42' }));
    expect(events.published).toEqual([
      [
        {
          type: 'userActivity',
          data: {
            userId: 'u-42',
            activity: 'aiRequest',
            details: { task: 'hint', callerId: 'game-server-eu-1', model: 'gpt-test-2026', inputTokens: 30, outputTokens: 7 },
            timestamp: '2026-06-28T12:00:00.000Z',
          },
        },
      ],
    ]);
    expect(JSON.stringify(events.published)).not.toContain('gate');
  });

  it('publishes nothing when no user is involved, and for a player names the player', async () => {
    const events = new RecordingEvents();
    const { deps } = setup({ events });
    await runGameplayAi(deps, gameServer, hint());
    expect(events.published).toEqual([]);
    await runGameplayAi(deps, player, hint());
    expect(events.published[0]?.[0]?.data.userId).toBe('player-7');
  });

  it('still answers when recording the event fails, and reports the failure', async () => {
    const { deps, warnings } = setup({ events: new RecordingEvents(true) });
    const result = await runGameplayAi(deps, gameServer, hint({ userId: 'u-1' }));
    expect(result.output).toBe('reply to How do I open the gate?');
    expect(warnings).toEqual(['gameplay-ai: recording userActivity failed']);
  });
});
