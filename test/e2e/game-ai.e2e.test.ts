/**
 * POST /api/game/ai over HTTP against the README's local stack, with the OpenAI-compatible stand-in
 * as the provider and the key in the settings. A second stack has no AI configured at all.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_AI_TASKS } from '../../functions/core/ai/tasks.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../infra/openai/server.js';
import { mintToken, startDenyList } from '../support/ai.js';
import { call, startStack, type Stack } from '../support/stack.js';

const KEY = `sk-e2e-${randomUUID()}`;
let openai: OpenAiStandIn;
let stack: Stack;
let bare: Stack;

beforeAll(async () => {
  openai = await startOpenAiStandIn({ apiKeys: [KEY] });
  [stack, bare] = await Promise.all([
    startStack({
      label: 'ai',
      env: {
        KEY_VAULT_URI: '',
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: openai.baseUrl,
        OPENAI_MODEL: 'gpt-e2e',
        OPENAI_TIMEOUT_SECONDS: '2',
        OPENAI_MAX_RETRIES: '1',
        AI_RATE_LIMIT_PER_USER: '3',
        AI_RATE_LIMIT_PER_CALLER: '6',
      },
    }),
    // Nothing configured (an OPENAI_API_KEY in the developer's environment must not leak in).
    startStack({ label: 'ai-bare', env: { KEY_VAULT_URI: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', AI_ALLOW_PLAYERS: 'true' } }),
  ]);
  await Promise.all([startDenyList(stack.api), startDenyList(bare.api)]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), bare?.stop()]);
  await openai?.stop();
});
beforeEach(() => openai.reset());

const gameServer = (target: Stack = stack) => mintToken(target.signingJwk, { roles: ['game-server'] });
const player = (target: Stack = stack) => mintToken(target.signingJwk, { sub: randomUUID(), roles: ['player'] });
const ask = async (body: unknown, token?: string, target: Stack = stack) =>
  call(`${target.api}/game/ai`, { body, token: token ?? (await gameServer(target)) });
const line = (change: Record<string, unknown> = {}) => ({ task: 'npc-dialogue', prompt: 'Greet the hero at the forge.', ...change });

describe('POST /api/game/ai', () => {
  it('answers 200 with the output, the model and the usage, having sent the task instructions and the key', async () => {
    const res = await ask(line({ context: { npc: 'blacksmith', mood: 'grumpy' }, userId: randomUUID() }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      task: 'npc-dialogue',
      output: 'Stand-in reply to: Greet the hero at the forge.',
      model: 'gpt-e2e-stand-in',
      finishReason: 'stop',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: expect.any(Number) },
    });
    const usage = res.body['usage'] as { inputTokens: number; outputTokens: number; totalTokens: number };
    expect(usage.inputTokens).toBeGreaterThan(10);
    expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens);
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]).toMatchObject({
      apiKey: KEY,
      body: {
        model: 'gpt-e2e',
        max_completion_tokens: 150,
        messages: [
          { role: 'system', content: DEFAULT_AI_TASKS['npc-dialogue']?.instructions },
          { role: 'user', content: 'Game context:\n{"npc":"blacksmith","mood":"grumpy"}' },
          { role: 'user', content: 'Greet the hero at the forge.' },
        ],
      },
    });
  });

  it('refuses no token with 401, and a player with 403 unless AI_ALLOW_PLAYERS', async () => {
    const anonymous = await call(`${stack.api}/game/ai`, { body: line() });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const refused = await ask(line(), await player());
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN', detail: 'This endpoint is for game servers (role "game-server").' });
    expect(openai.requests).toHaveLength(0);
  });

  it.each([
    ['an unknown task', { task: 'poem' }, 'task', 'must be one of: hint, npc-dialogue, quest-text'],
    ['an oversized prompt', { prompt: 'x'.repeat(2_001) }, 'prompt', 'must be at most 2000 characters for task "npc-dialogue" (it is 2001)'],
    ['an oversized context', { context: 'c'.repeat(8_001) }, 'context', 'must be at most 8000 characters for task "npc-dialogue" (it is 8001)'],
    ['too many output tokens', { maxOutputTokens: 151 }, 'maxOutputTokens', 'must be at most 150 for task "npc-dialogue"'],
    ['an empty prompt', { prompt: '  ' }, 'prompt', 'must not be empty'],
    ['a malformed userId', { userId: 'a b' }, 'userId', expect.stringContaining('must be 1-128 characters')],
    ['an unknown field', { temperature: 2 }, 'temperature', 'is not a known field'],
  ])('answers 400 naming the field for %s', async (_, change, field, message) => {
    const res = await ask(line(change));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field, message }] });
    expect(openai.requests).toHaveLength(0);
  });

  it("answers 503 with the provider's Retry-After when the provider rate-limits us, without its message", async () => {
    openai.enqueue({ status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'Rate limit reached for org-secret123', type: 'requests', code: 'rate_limit_exceeded' } } });
    const res = await ask(line());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', detail: 'The AI provider is rate limiting this service; try again later.' });
    expect(JSON.stringify(res.body)).not.toContain('org-secret123');
    expect(openai.requests).toHaveLength(1);
  });

  it('answers 502 when the provider fails, after one retry', async () => {
    openai.enqueue({ status: 500, body: { error: { message: 'internal trace abc', type: 'server_error', code: null } } }, { status: 502 });
    const res = await ask(line());
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_FAILED', detail: 'The AI provider failed (HTTP 502).' });
    expect(JSON.stringify(res.body)).not.toContain('trace');
    expect(openai.requests.map((r) => r.status)).toEqual([500, 502]);
  });

  it('answers 504 when the provider takes longer than OPENAI_TIMEOUT_SECONDS', async () => {
    openai.enqueue({ delayMs: 5_000 });
    const started = Date.now();
    const res = await ask(line());
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_TIMEOUT', detail: 'The AI provider did not answer within 2 s.' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(4_000);
  });

  it('answers 502 when the provider refuses the key and no newer one exists (settings cannot rotate)', async () => {
    openai.setApiKeys(['sk-some-other-key']);
    try {
      const res = await ask(line());
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ code: 'UPSTREAM_FAILED', detail: "The AI provider refused this service's credentials." });
      expect(JSON.stringify(res.body)).not.toContain(KEY);
      expect(openai.requests.map((r) => r.status)).toEqual([401]);
    } finally {
      openai.setApiKeys([KEY]);
    }
  });

  it('limits requests per user (429 with Retry-After), whichever game server asks', async () => {
    const userId = randomUUID();
    for (let i = 0; i < 3; i++) expect((await ask(line({ userId }))).status).toBe(200);
    const limited = await ask(line({ userId }));
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(openai.requests).toHaveLength(3);
    // Another user is not affected.
    expect((await ask(line({ userId: randomUUID() }))).status).toBe(200);
  });

  it('limits requests per caller', async () => {
    const token = await gameServer();
    for (let i = 0; i < 6; i++) expect((await ask(line({ userId: randomUUID() }), token)).status).toBe(200);
    const limited = await ask(line({ userId: randomUUID() }), token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await ask(line())).status).toBe(200);
  });

  it('answers 400 naming context nested 10,000 levels deep, not a 500', async () => {
    const deep = '{"a":'.repeat(9_999) + '{}' + '}'.repeat(9_999);
    const res = await call<{ code: string; errors: { field: string }[] }>(`${stack.api}/game/ai`, {
      token: await gameServer(),
      raw: `{"task":"hint","prompt":"Where is the key?","context":${deep}}`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e) => e.field)).toEqual(['context']);
  });

  it('answers 413 past the documented 64 KiB body limit, 400 for a long context within it', async () => {
    const tooLarge = await ask(line({ context: 'x'.repeat(69_600) }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body['code']).toBe('PAYLOAD_TOO_LARGE');
    const tooLong = await ask(line({ context: 'x'.repeat(60_000) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body['errors']).toEqual([expect.objectContaining({ field: 'context' })]);
  });

  it('never writes the key to the logs', () => {
    expect(stack.output()).toContain('secrets: from app settings (KEY_VAULT_URI is not set)');
    expect(stack.output()).toMatch(/POST \/api\/game\/ai 502/);
    expect(stack.output()).not.toContain(KEY);
  });
});

describe('POST /api/game/ai with nothing configured', () => {
  it('answers 503 NOT_CONFIGURED, to players too when AI_ALLOW_PLAYERS is on', async () => {
    const server = await ask(line(), undefined, bare);
    expect(server.status).toBe(503);
    expect(server.body).toMatchObject({ code: 'NOT_CONFIGURED', detail: 'Gameplay AI is not configured on this service.' });
    const asPlayer = await ask(line(), await player(bare), bare);
    expect(asPlayer.status).toBe(503);
    expect(asPlayer.body['code']).toBe('NOT_CONFIGURED');
    expect(openai.requests).toHaveLength(0);
  });
});
