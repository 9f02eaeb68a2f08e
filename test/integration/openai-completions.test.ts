/** The OpenAI adapter with the real openai package against the local OpenAI-compatible stand-in. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiCompletions, type OpenAiOptions } from '../../functions/adapters/openai/chat-completions.js';
import { CredentialRejectedError, DomainError } from '../../functions/core/kernel/errors.js';
import type { AiCompletionRequest } from '../../functions/core/ai/ports.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../infra/openai/server.js';
import { rejection } from '../support/expect-errors.js';

const KEY = 'sk-test-integration-0123456789';
let openai: OpenAiStandIn;
let logs: string[];
beforeAll(async () => {
  openai = await startOpenAiStandIn({ apiKeys: [KEY] });
});
afterAll(async () => {
  await openai?.stop();
});
beforeEach(() => {
  openai.reset();
  logs = [];
});

function adapter(options: Partial<OpenAiOptions> = {}): OpenAiCompletions {
  return new OpenAiCompletions({ baseUrl: openai.baseUrl, model: 'gpt-test', timeoutMs: 5_000, maxRetries: 1, log: (l) => logs.push(l), ...options });
}

const request: AiCompletionRequest = {
  instructions: 'You write NPC lines.',
  prompt: 'Greet the hero.',
  context: '{"npc":"blacksmith"}',
  maxOutputTokens: 64,
  temperature: undefined,
};


describe('OpenAiCompletions', () => {
  it('posts a chat completion with the instructions, context and prompt, and maps output, model and usage', async () => {
    const result = await adapter().complete(request, KEY);
    expect(result).toEqual({
      output: 'Stand-in reply to: Greet the hero.',
      model: 'gpt-test-stand-in',
      finishReason: 'stop',
      usage: { inputTokens: expect.any(Number), outputTokens: 9, totalTokens: expect.any(Number) },
    });
    expect(result.usage.totalTokens).toBe(result.usage.inputTokens + result.usage.outputTokens);
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]).toMatchObject({
      path: '/v1/chat/completions',
      apiKey: KEY,
      body: {
        model: 'gpt-test',
        max_completion_tokens: 64,
        messages: [
          { role: 'system', content: 'You write NPC lines.' },
          { role: 'user', content: 'Game context:\n{"npc":"blacksmith"}' },
          { role: 'user', content: 'Greet the hero.' },
        ],
      },
    });
    expect(openai.requests[0]?.body).not.toHaveProperty('temperature');
  });

  it('retries a 500 once, then answers UPSTREAM_FAILED with the status only', async () => {
    openai.enqueue({ status: 500 }, { status: 500 });
    const error = await rejection(adapter().complete(request, KEY));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'UPSTREAM_FAILED', message: 'The AI provider failed (HTTP 500).' });
    expect(openai.requests.map((r) => r.status)).toEqual([500, 500]);
    expect(logs[0]).toMatch(/^openai: chat completion failed: HTTP 500 \(request req_[0-9a-f]+\); retrying in \d+ ms$/);
  });

  it('succeeds when the retry does', async () => {
    openai.enqueue({ status: 503 });
    expect((await adapter().complete(request, KEY)).output).toBe('Stand-in reply to: Greet the hero.');
    expect(openai.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it("turns a provider 429 into SERVICE_UNAVAILABLE with the provider's Retry-After, without retrying", async () => {
    openai.enqueue({ status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'Rate limit reached for gpt-test', type: 'requests', code: 'rate_limit_exceeded' } } });
    const error = await rejection(adapter().complete(request, KEY));
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 7 });
    expect(error.message).not.toContain('Rate limit reached');
    expect(openai.requests).toHaveLength(1);
  });

  it('treats an exhausted quota (429 insufficient_quota) as a failure, not a wait', async () => {
    openai.enqueue({ status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } });
    const error = await rejection(adapter().complete(request, KEY));
    expect(error).toMatchObject({ code: 'UPSTREAM_FAILED', message: 'The AI provider refused the request (HTTP 429, insufficient_quota).' });
  });

  it('throws CredentialRejectedError for a refused key, and never logs the key or the provider message quoting it', async () => {
    const wrong = 'sk-wrong-key-abcdef';
    const error = await rejection(adapter().complete(request, wrong));
    expect(error).toBeInstanceOf(CredentialRejectedError);
    expect(error.message).not.toContain(wrong);
    expect(openai.requests).toHaveLength(1);
    expect(logs).toEqual([expect.stringMatching(/^openai: chat completion failed: HTTP 401 invalid_api_key \(request req_[0-9a-f]+\)$/)]);
  });

  it('answers UPSTREAM_TIMEOUT when the provider is slower than the budget, retries included', async () => {
    openai.enqueue({ delayMs: 3_000 });
    const started = Date.now();
    const error = await rejection(adapter({ timeoutMs: 600 }).complete(request, KEY));
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', message: 'The AI provider did not answer within 0.6 s.' });
    expect(Date.now() - started).toBeLessThan(1_500);
    // A timeout spends the budget: no second attempt.
    expect(openai.requests).toHaveLength(1);
  });

  it('does not retry a 400, and names only its status and code', async () => {
    openai.enqueue({ status: 400, body: { error: { message: 'This model does not support max_completion_tokens', type: 'invalid_request_error', code: 'unsupported_parameter' } } });
    const error = await rejection(adapter().complete(request, KEY));
    expect(error).toMatchObject({ code: 'UPSTREAM_FAILED', message: 'The AI provider refused the request (HTTP 400, unsupported_parameter).' });
    expect(openai.requests).toHaveLength(1);
  });

  it('answers UPSTREAM_FAILED when the provider cannot be reached, after its retry', async () => {
    const error = await rejection(adapter({ baseUrl: 'http://127.0.0.1:1/v1' }).complete(request, KEY));
    expect(error).toMatchObject({ code: 'UPSTREAM_FAILED', message: 'The AI provider could not be reached.' });
    expect(logs).toHaveLength(2);
  });

  it('passes an empty output and the finish reason on when a content filter stops the answer', async () => {
    openai.enqueue({
      body: {
        id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'gpt-test',
        choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null }, finish_reason: 'content_filter', logprobs: null }],
        usage: { prompt_tokens: 12, completion_tokens: 0, total_tokens: 12 },
      },
    });
    expect(await adapter().complete(request, KEY)).toEqual({ output: '', model: 'gpt-test', finishReason: 'content_filter', usage: { inputTokens: 12, outputTokens: 0, totalTokens: 12 } });
  });
});
