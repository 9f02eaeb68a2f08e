/**
 * A local OpenAI-compatible HTTP stand-in: POST /v1/chat/completions. By default it answers with
 * a short deterministic reply and token usage; tests queue scripted replies (429, 500, a delay,
 * any body) and choose which API keys it accepts, so key rotation can be played out.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  status?: number;
  /** The JSON body; for a 2xx without one, the default completion is sent. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Waits this long before answering (a client that gives up earlier just sees a timeout). */
  delayMs?: number;
}

export interface ChatRequestRecord {
  path: string;
  apiKey: string | null;
  body: Record<string, unknown> | null;
  status: number;
}

export interface OpenAiStandIn {
  /** The base URL an OpenAI client takes, ending in /v1. */
  baseUrl: string;
  requests: ChatRequestRecord[];
  /** Only these keys are accepted (401 invalid_api_key otherwise); an empty list accepts any key. */
  setApiKeys(keys: string[]): void;
  /** Replies for the next requests, in order; once used up, the default completion again. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Forgets queued replies and recorded requests (between tests). */
  reset(): void;
  stop(): Promise<void>;
}

/** Roughly what a tokenizer would count; enough for plausible usage figures. */
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function completion(body: Record<string, unknown>) {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as { role?: string; content?: unknown }[]) : [];
  const prompt = String(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
  const limit = Number(body['max_completion_tokens'] ?? body['max_tokens'] ?? 256);
  const text = `Stand-in reply to: ${prompt.slice(0, 200)}`;
  const output = text.slice(0, Math.max(1, limit) * 4);
  const promptTokens = messages.reduce((sum, m) => sum + tokens(String(m.content ?? '')), 0);
  const completionTokens = tokens(output);
  return {
    id: `chatcmpl-${randomBytes(8).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: `${String(body['model'] ?? 'unknown')}-stand-in`,
    choices: [
      { index: 0, message: { role: 'assistant', content: output, refusal: null }, finish_reason: output.length < text.length ? 'length' : 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

export async function startOpenAiStandIn(options: { port?: number; apiKeys?: string[] } = {}): Promise<OpenAiStandIn> {
  let apiKeys = options.apiKeys ?? [];
  const queue: ScriptedReply[] = [];
  const requests: ChatRequestRecord[] = [];

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(6).toString('hex')}`, ...headers });
    res.end(JSON.stringify(body));
  };
  const apiError = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const apiKey = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      body = null;
    }
    const record: ChatRequestRecord = { path, apiKey, body, status: 0 };
    requests.push(record);
    res.once('finish', () => (record.status = res.statusCode));

    if (req.method !== 'POST' || path !== '/v1/chat/completions') return send(res, 404, apiError(`Unknown request URL: ${req.method} ${path}`, 'invalid_request_error', 'unknown_url'));
    if (apiKey === null || (apiKeys.length > 0 && !apiKeys.includes(apiKey))) {
      // The real API echoes (part of) the key it refused: one more reason the app never relays these bodies.
      return send(res, 401, apiError(`Incorrect API key provided: ${apiKey ?? '(none)'}.`, 'invalid_request_error', 'invalid_api_key'));
    }
    if (body === null || typeof body['model'] !== 'string' || !Array.isArray(body['messages'])) {
      return send(res, 400, apiError('model and messages are required.', 'invalid_request_error', null));
    }
    const reply = queue.shift() ?? {};
    if (reply.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed || req.socket.destroyed) return;
    }
    const status = reply.status ?? 200;
    send(res, status, reply.body ?? (status < 300 ? completion(body) : apiError('The stand-in was told to fail.', 'server_error', null)), reply.headers);
  }

  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, apiError(String(error), 'server_error', null)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setApiKeys: (keys) => void (apiKeys = [...keys]),
    enqueue: (...replies) => void queue.push(...replies),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
