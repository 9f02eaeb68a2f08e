/**
 * The HTTP front end of the local host: what App Service's front end plus the Functions host do
 * for HTTP triggers (routing under the route prefix, X-Forwarded-For, body limits), and the
 * Core Tools admin API: POST /admin/functions/{name} runs a non-HTTP function now.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problemDocument, problemType, PROBLEM_CONTENT_TYPE } from '../../functions/platform/problem.js';
import type { ErrorCode } from '../../functions/core/kernel/errors.js';
import type { RpcHttpData } from './core-api.js';
import { isPreflight, NO_CORS, preflightHeaders, responseHeaders, type CorsPolicy } from './cors.js';
import { DEV_EMAIL_PREFIX, serveDevEmailPage } from './dev-email-pages.js';
import { DEV_MAILBOX_PATH, serveDevMailbox } from './dev-mailbox.js';
import { InvocationFailed, type FunctionsRuntime, type LoadedFunction, type Logger } from './functions-runtime.js';
import { byPrecedence, compileRoute, type CompiledRoute } from './routes.js';
import type { TriggerInputs } from './trigger-inputs.js';

/** The real host accepts up to 100 MB; locally a smaller cap keeps a mistaken upload from hurting. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface HttpFrontEnd {
  port: number;
  url: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The app's own problem shape (functions/platform/problem.ts), so clients read one format. */
function sendProblem(response: ServerResponse, code: ErrorCode, detail: string, headers: Record<string, string> = {}): number {
  const problem = problemDocument(code, detail);
  response.writeHead(problem.status, { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store', ...headers });
  response.end(JSON.stringify(problem));
  return problem.status;
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Like App Service's front end: append the peer, so the last entry is the one nobody can forge.
  const peer = request.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${peer}` : peer;
  return headers;
}

function writeHttpResult(response: ServerResponse, http: RpcHttpData | undefined): number {
  const status = Number(http?.statusCode ?? 204);
  const headers: Record<string, string | string[]> = { ...(http?.headers ?? {}) };
  const cookies = (http?.cookies ?? []) as { name: string; value: string; path?: { value?: string } }[];
  if (cookies.length > 0) headers['set-cookie'] = cookies.map((c) => `${c.name}=${c.value}${c.path?.value ? `; Path=${c.path.value}` : ''}`);
  const body = http?.body;
  const bytes = body?.bytes ? Buffer.from(body.bytes) : body?.string !== undefined ? Buffer.from(body.string) : Buffer.alloc(0);
  response.writeHead(status, headers);
  response.end(bytes);
  return status;
}

export async function startHttpFrontEnd(options: {
  runtime: FunctionsRuntime;
  inputs: TriggerInputs;
  host: string;
  port: number;
  routePrefix: string;
  log: Logger;
  /** The short "GET /api/x 200 3ms" line per request (off when the app prints JSON lines). */
  requestLine?: boolean;
  cors?: CorsPolicy;
}): Promise<HttpFrontEnd> {
  const { runtime, inputs, log } = options;
  const cors = options.cors ?? NO_CORS;
  const prefix = options.routePrefix.replace(/^\/+|\/+$/g, '');
  const routes: CompiledRoute<LoadedFunction>[] = runtime.functions
    .filter((f) => f.trigger.type === 'httpTrigger')
    .map((f) => compileRoute(`${prefix}/${String(f.trigger['route'] ?? f.name)}`, (f.trigger['methods'] as string[] | undefined) ?? null, f))
    .sort(byPrecedence);

  async function serveFunction(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<number> {
    const method = (request.method ?? 'GET').toUpperCase();
    const allowed = new Set<string>();
    for (const route of routes) {
      const params = route.match(url.pathname);
      if (!params) continue;
      if (route.methods && !route.methods.includes(method)) {
        for (const m of route.methods) allowed.add(m);
        continue;
      }
      const http: RpcHttpData = {
        method,
        url: url.href,
        headers: headersOf(request),
        query: Object.fromEntries(url.searchParams),
        params,
        ...(body.length > 0 ? { body: { bytes: body } } : {}),
      };
      try {
        const result = await runtime.invoke(route.target, inputs.http(route.target, http));
        const output = result.returnValue ?? result.outputData?.find((o) => o.name === '$return')?.data;
        return writeHttpResult(response, output?.http);
      } catch (error) {
        // The host answers a function that threw with a bare 500; the details go to the log.
        log(error instanceof InvocationFailed ? error.message : `[host] ${String(error)}`);
        response.writeHead(500).end();
        return 500;
      }
    }
    if (allowed.size === 0) return sendProblem(response, 'NOT_FOUND', `No function serves ${url.pathname}.`);
    const allow = [...allowed].join(', ');
    return sendProblem(response, 'METHOD_NOT_ALLOWED', `${url.pathname} takes ${allow}, not ${method}.`, { Allow: allow });
  }

  async function serveAdmin(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<number> {
    const method = request.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/admin/host/status') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ state: 'Running', version: 'local' }));
      return 200;
    }
    if (method === 'GET' && url.pathname === '/admin/functions') {
      const list = runtime.functions.map((f) => ({ name: f.name, trigger: f.trigger }));
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(list));
      return 200;
    }
    const invoke = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
    if (method === 'POST' && invoke?.[1]) {
      const fn = runtime.find(decodeURIComponent(invoke[1]));
      if (!fn || fn.trigger.type === 'httpTrigger') return sendProblem(response, 'NOT_FOUND', `No non-HTTP function named "${invoke[1]}".`);
      let input = '';
      try {
        const parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as { input?: unknown }) : {};
        input = typeof parsed.input === 'string' ? parsed.input : '';
      } catch {
        return sendProblem(response, 'MALFORMED_JSON', 'Send {"input": "..."}.');
      }
      const started = performance.now();
      try {
        // Core Tools answers 202 and runs in the background; waiting lets a caller know it finished.
        await runtime.invoke(fn, inputs.manual(fn, input));
        response.writeHead(202, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ name: fn.name, status: 'succeeded', durationMs: Math.round(performance.now() - started) }));
        return 202;
      } catch (error) {
        log(error instanceof Error ? error.message : String(error));
        // Core Tools' admin API is for developers: the error itself is the point here.
        const detail = error instanceof Error ? error.message : String(error);
        response.writeHead(500, { 'Content-Type': PROBLEM_CONTENT_TYPE });
        response.end(JSON.stringify({ type: problemType('INTERNAL'), title: 'Function failed', status: 500, detail, code: 'INTERNAL' }));
        return 500;
      }
    }
    return sendProblem(response, 'NOT_FOUND', `No admin endpoint ${method} ${url.pathname}.`);
  }

  const server: Server = createServer((request, response) => {
    const started = performance.now();
    const method = request.method ?? 'GET';
    void (async () => {
      let status: number;
      let path = request.url ?? '/';
      try {
        const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
        path = url.pathname;
        const body = await readBody(request);
        // Platform CORS runs before the app: preflights never reach a function.
        for (const [name, value] of Object.entries(responseHeaders(cors, request))) response.setHeader(name, value);
        if (cors.allowedOrigins.length > 0 && isPreflight(request)) {
          response.writeHead(204, preflightHeaders(cors, request)).end();
          status = 204;
        } else if (url.pathname.startsWith('/admin/')) {
          status = await serveAdmin(request, response, url, body);
        } else if (url.pathname === DEV_MAILBOX_PATH && method === 'GET') {
          status = await serveDevMailbox(request, response, process.env['LOCAL_MAILBOX_URL']);
        } else if (url.pathname.startsWith(DEV_EMAIL_PREFIX) && method === 'GET') {
          status = serveDevEmailPage(url.pathname, response);
        } else {
          status = await serveFunction(request, response, url, body);
        }
      } catch (error) {
        status = error instanceof BodyTooLarge ? 413 : error instanceof URIError ? 400 : 500;
        if (!response.headersSent) {
          if (status === 413) sendProblem(response, 'PAYLOAD_TOO_LARGE', 'The body is too large.');
          else if (status === 400) sendProblem(response, 'VALIDATION_FAILED', 'The request path could not be decoded.');
          else response.writeHead(500).end();
        } else response.destroy();
        if (status === 500) log(`[host] ${String(error)}`);
      }
      if (options.requestLine !== false) log(`${method} ${path} ${status} ${Math.round(performance.now() - started)}ms`);
    })();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
