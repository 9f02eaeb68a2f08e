/**
 * The AI provider through the openai package's Chat Completions API, the most widely implemented
 * one: OpenAI, Azure OpenAI's v1 endpoint, or any compatible server at OPENAI_BASE_URL.
 */
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { CredentialRejectedError, DomainError } from '../../core/kernel/errors.js';
import type { AiCompletion, AiCompletionRequest, AiCompletions } from '../../core/ai/ports.js';

export interface OpenAiOptions {
  baseUrl: string;
  model: string;
  /** Budget of one complete() call, retries included: the caller waits no longer than this. */
  timeoutMs: number;
  /** Extra attempts after a 5xx or a connection failure, while the budget lasts. */
  maxRetries: number;
  log?: (message: string) => void;
}

type Sdk = typeof import('openai');
let sdkModule: Promise<Sdk> | undefined;
/** Loaded on first use: every function's cold start would otherwise pay for it (~100 ms). */
const loadSdk = () => (sdkModule ??= import('openai'));

const FIRST_BACKOFF_MS = 250;
/** A provider 429 without Retry-After: ask callers to come back after this long. */
const DEFAULT_RETRY_AFTER_SECONDS = 10;

export class OpenAiCompletions implements AiCompletions {
  private client: { apiKey: string; sdk: OpenAI } | undefined;
  private readonly log: (message: string) => void;

  constructor(private readonly options: OpenAiOptions) {
    this.log = options.log ?? ((message) => console.warn(message));
  }

  /** One SDK client per key; a rotated key replaces it. */
  private clientFor(sdkModule: Sdk, apiKey: string): OpenAI {
    if (this.client?.apiKey !== apiKey) {
      const sdk = new sdkModule.OpenAI({
        apiKey,
        baseURL: this.options.baseUrl,
        // Retries are ours (below): the SDK's would sleep through a provider's Retry-After, up to a minute.
        maxRetries: 0,
        timeout: this.options.timeoutMs,
        // Left unset, these fall back to OPENAI_* environment variables; config is the only source here.
        organization: null,
        project: null,
        adminAPIKey: null,
        webhookSecret: null,
        logLevel: 'off',
      });
      this.client = { apiKey, sdk };
    }
    return this.client.sdk;
  }

  async complete(request: AiCompletionRequest, apiKey: string): Promise<AiCompletion> {
    const sdkModule = await loadSdk();
    const sdk = this.clientFor(sdkModule, apiKey);
    const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: request.instructions }];
    if (request.context !== undefined) messages.push({ role: 'user', content: `Game context:\n${request.context}` });
    messages.push({ role: 'user', content: request.prompt });
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: this.options.model,
      messages,
      // max_tokens is deprecated and refused by newer models; compatible servers accept this one too.
      max_completion_tokens: request.maxOutputTokens,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    };
    const deadline = Date.now() + this.options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const remaining = Math.max(1, deadline - Date.now());
        return toCompletion(await sdk.chat.completions.create(body, { timeout: remaining, maxRetries: 0 }), this.options.model);
      } catch (error) {
        const failure = classify(sdkModule, error, this.options.timeoutMs);
        const backoff = FIRST_BACKOFF_MS * 2 ** attempt * (0.75 + Math.random() * 0.25);
        const retry = failure.retryable && attempt < this.options.maxRetries && deadline - Date.now() > backoff + 250;
        this.log(`openai: chat completion failed: ${failure.summary}${retry ? `; retrying in ${Math.round(backoff)} ms` : ''}`);
        if (!retry) throw failure.error;
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
    }
  }
}

function toCompletion(response: ChatCompletion, configuredModel: string): AiCompletion {
  const choice = response.choices[0];
  if (choice === undefined) throw new DomainError('UPSTREAM_FAILED', 'The AI provider answered without a completion.');
  const usage = response.usage;
  return {
    // A refusal or a content filter leaves content empty; finishReason tells the caller why.
    output: choice.message.content ?? choice.message.refusal ?? '',
    model: response.model || configuredModel,
    finishReason: choice.finish_reason ?? null,
    usage: {
      inputTokens: usage?.prompt_tokens ?? 0,
      outputTokens: usage?.completion_tokens ?? 0,
      totalTokens: usage?.total_tokens ?? (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0),
    },
  };
}

interface Failure {
  error: Error;
  retryable: boolean;
  /** For the log: status, the provider's error code and request id; never its message (it may quote the key). */
  summary: string;
}

/** Provider error codes are short snake_case tokens; anything else is not repeated. */
function providerCode(error: InstanceType<Sdk['APIError']>): string | undefined {
  return typeof error.code === 'string' && /^[a-z0-9_]{1,64}$/.test(error.code) ? error.code : undefined;
}

function classify({ APIConnectionError, APIConnectionTimeoutError, APIError }: Sdk, error: unknown, timeoutMs: number): Failure {
  if (error instanceof APIConnectionTimeoutError) {
    const seconds = Math.round(timeoutMs / 100) / 10;
    return { error: new DomainError('UPSTREAM_TIMEOUT', `The AI provider did not answer within ${seconds} s.`), retryable: false, summary: `timed out after ${seconds} s` };
  }
  if (error instanceof APIConnectionError) {
    return { error: new DomainError('UPSTREAM_FAILED', 'The AI provider could not be reached.'), retryable: true, summary: 'connection failed' };
  }
  if (!(error instanceof APIError) || error.status === undefined) {
    return { error: error instanceof Error ? error : new Error(String(error)), retryable: false, summary: 'unexpected error' };
  }
  const status = error.status;
  const code = providerCode(error);
  const summary = `HTTP ${status}${code ? ` ${code}` : ''}${error.requestID ? ` (request ${error.requestID})` : ''}`;
  if (status === 401) return { error: new CredentialRejectedError('The AI provider refused the API key.'), retryable: false, summary };
  if (status === 429 && code !== 'insufficient_quota') {
    // The provider is rationing this service as a whole, not this caller: a temporary outage to
    // the caller (503), with the provider's own wait when it gives one.
    const retryAfterSeconds = retryAfter(error.headers) ?? DEFAULT_RETRY_AFTER_SECONDS;
    return {
      error: new DomainError('SERVICE_UNAVAILABLE', 'The AI provider is rate limiting this service; try again later.', { retryAfterSeconds }),
      retryable: false,
      summary,
    };
  }
  const retryable = status >= 500 || status === 408;
  const detail = status >= 500 ? `The AI provider failed (HTTP ${status}).` : `The AI provider refused the request (HTTP ${status}${code ? `, ${code}` : ''}).`;
  return { error: new DomainError('UPSTREAM_FAILED', detail), retryable, summary };
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return clampSeconds(ms / 1000);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? clampSeconds(seconds) : undefined;
}

const clampSeconds = (seconds: number) => Math.min(300, Math.max(1, Math.ceil(seconds)));
