/** HTTP plumbing shared by every trigger: body parsing, responses, error mapping, caller origin. */
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { DomainError, validationError } from '../core/kernel/errors.js';
import { toFieldErrors } from '../core/kernel/field-errors.js';
import type { SessionOrigin } from '../core/sessions/session.js';
import { MAX_JSON_DEPTH, tooDeepFields } from '../core/kernel/json-depth.js';
import { errorResponse } from './problem.js';
import { getServices, type Services } from './services.js';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** A trigger's handler: the request, the services it needs (the process's, or a test's fakes), the invocation. */
export type ServiceHandler<S = Services> = (request: HttpRequest, services: S, context: InvocationContext) => Promise<HttpResponseInit>;

/**
 * How long a request may take before it is answered 503 with Retry-After. Cosmos (5 s a try, 3
 * throttle retries) and Key Vault calls are bounded below it; this bounds whatever is not, such
 * as a Redis that accepts commands and never answers (node-redis's command timeout only covers
 * commands not yet written). Above the slowest honest answers the soak saw (logins queued for
 * bcrypt on a busy 2-core host: p99 12 s), below the host's function timeout and clients' patience.
 */
export const REQUEST_BUDGET_MS = 20_000;

/**
 * What the Functions host calls: resolves the services once per invocation, calls the handler, and
 * turns every error into a problem response (unknown ones logged, outages 503), within the budget.
 * A handler that declares no services parameter (liveness, the OpenAPI document) is not made to
 * wait for them: the first request that needs them builds them and loads their SDKs.
 */
export function handle(handler: ServiceHandler, services: () => Services | Promise<Services> = getServices, budgetMs = REQUEST_BUDGET_MS): HttpHandler {
  const needsServices = handler.length >= 2;
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    let resolved: Services | undefined;
    let timer: NodeJS.Timeout | undefined;
    // Made only when the budget runs out: an error's stack trace costs every request otherwise.
    let overBudget: DomainError | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        overBudget = new DomainError('SERVICE_UNAVAILABLE', 'A service this request needs is too slow right now; retry shortly.', { retryAfterSeconds: 5 });
        reject(overBudget);
      }, budgetMs);
    });
    try {
      // Building the services counts against the budget too: a first request must not hang on it.
      resolved = needsServices ? await Promise.race([services(), budget]) : undefined;
      // The handler is not cancelled, only no longer waited for: its writes are idempotent or conditional.
      return await Promise.race([handler(request, resolved as Services, context), budget]);
    } catch (error) {
      if (overBudget !== undefined && error === overBudget) {
        context.warn(`${request.method} ${new URL(request.url).pathname}: no answer within ${budgetMs} ms; answered 503`);
      }
      return errorResponse(context, error, resolved?.infrastructure.isDependencyUnavailable);
    } finally {
      clearTimeout(timer);
    }
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'Cache-Control': 'no-store', ...headers } };
}

function isJsonMediaType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [mediaType = '', ...params] = contentType.toLowerCase().split(';').map((part) => part.trim());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replaceAll('"', '');
  const jsonType = mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
  return jsonType && (charset === undefined || charset === 'utf-8' || charset === 'utf8');
}

/**
 * Reads a JSON body and validates it: 415 for another media type, 413 past the size limit, 400 for
 * malformed JSON, a field nested too deep, or a body the schema rejects (each field named).
 */
export async function readJson<S extends z.ZodType>(
  request: HttpRequest,
  schema: S,
  options: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!isJsonMediaType(request.headers.get('content-type'))) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with "Content-Type: application/json".');
  }
  const declaredLength = Number(request.headers.get('content-length') ?? '0');
  if (declaredLength > maxBytes) throw tooLarge(maxBytes);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'the body is not valid UTF-8';
    throw new DomainError('MALFORMED_JSON', `The body is not valid JSON: ${reason}`);
  }
  // Before the schema: size checks and serialisers recurse, and a deep enough value overflows the stack.
  const tooDeep = tooDeepFields(body);
  if (tooDeep.length > 0) throw validationError(tooDeep, `The body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  return parseWith(schema, body);
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `The body must be at most ${maxBytes} bytes.`);
}

/** Validates any input (body, query) and turns the schema's complaints into named field errors. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(toFieldErrors(result.error.issues));
  return result.data;
}

/**
 * The caller's address as the platform reports it. The front end (App Service, or the local host)
 * appends the peer address to X-Forwarded-For, so the last entry is the one a client cannot forge.
 */
export function clientIp(request: HttpRequest): string | null {
  const forwarded = request.headers.get('x-forwarded-for');
  const last = forwarded?.split(',').pop()?.trim();
  if (!last) return null;
  // App Service writes "ip:port"; IPv6 arrives as "[addr]:port".
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(last);
  if (bracketed?.[1]) return bracketed[1];
  return /^[\d.]+:\d+$/.test(last) ? last.slice(0, last.lastIndexOf(':')) : last;
}

export function sessionOrigin(request: HttpRequest): SessionOrigin {
  return {
    userAgent: request.headers.get('user-agent')?.slice(0, 256) ?? null,
    ip: clientIp(request),
    clientLabel: null,
  };
}

/** ?limit=&cursor= and friends, validated like a body (400 naming the parameter). */
export function readQuery<S extends z.ZodType>(request: HttpRequest, schema: S): z.infer<S> {
  return parseWith(schema, Object.fromEntries(request.query));
}

/** An ETag as HTTP wants it: quoted. Cosmos returns it quoted, the stand-in bare. */
export function httpEtag(etag: string | undefined): Record<string, string> {
  if (!etag) return {};
  return { ETag: etag.startsWith('"') ? etag : `"${etag}"` };
}

/** The route parameter the host bound; absent only if the route and the handler disagree. */
export function routeParam(request: HttpRequest, name: string): string {
  const value = request.params[name];
  if (!value) throw new DomainError('NOT_FOUND', `Missing ${name} in the path.`);
  return value;
}

/** A body that may be absent (DELETE with an optional confirmation). */
export async function readOptionalJson<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.infer<S>> {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length === 0 && !request.headers.get('transfer-encoding')) return parseWith(schema, undefined);
  return readJson(request, schema);
}
