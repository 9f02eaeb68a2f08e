/**
 * The OpenAPI 3.1 document, built from HTTP_FUNCTIONS (what httpFunction registered), so every
 * route the host serves is in it with the zod schemas its handler validates with. Built once, on
 * first use: every trigger module has registered by then.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { APP_NAME, APP_VERSION } from '../version.js';
import { HTTP_FUNCTIONS, type HttpFunction, type HttpMethod, type Operation } from './routes.js';
import { problemSchema } from './schemas.js';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export const API_PREFIX = '/api';
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const BEARER = 'bearerAuth';

/** What each problem status means here; every operation may also answer 500. */
const PROBLEM_MEANINGS: Record<number, string> = {
  400: 'Invalid request: malformed JSON, or fields that fail validation (each named in `errors`).',
  401: 'No valid credentials: a missing, expired or revoked token, or a wrong login.',
  403: 'Authenticated, but this caller may not do this.',
  404: 'No such resource (or the caller may not know it exists).',
  405: 'The route exists, but not with this method.',
  409: 'Conflicts with the current state (taken username or email, a concurrent change).',
  412: 'If-Match does not match the current ETag: read again and retry.',
  413: 'The body is too large.',
  415: 'The body is not application/json.',
  429: 'Too many requests: wait for Retry-After seconds.',
  500: 'A bug on our side: the detail quotes the invocation id to report.',
  502: 'An upstream service failed.',
  503: 'A dependency is unavailable or busy, or the feature is not configured: retry after Retry-After seconds.',
  504: 'An upstream service timed out.',
};

/** `users/{id}` → `/api/users/{id}`; a catch-all `{*path}` becomes a plain `{path}` parameter. */
export function openApiPath(route: string): string {
  return `${API_PREFIX}/${route.replace(/\{\*/g, '{')}`;
}

export function routeParamNames(route: string): string[] {
  return [...route.matchAll(/\{\*?([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)].map((m) => m[1] as string);
}

function headerObjects(headers: Record<string, string> | undefined) {
  if (!headers) return undefined;
  return Object.fromEntries(Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' as const } }]));
}

function problemResponse(status: number): ResponseConfig {
  const retry = status === 429 || status === 503 ? { 'Retry-After': 'Seconds to wait before retrying.' } : undefined;
  return {
    description: PROBLEM_MEANINGS[status] ?? 'A problem.',
    headers: headerObjects(retry),
    content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } },
  };
}

function responsesOf(operation: Operation): RouteConfig['responses'] {
  const responses: RouteConfig['responses'] = {};
  for (const [status, success] of Object.entries(operation.responses)) {
    if (!success) continue;
    const mediaType = success.contentType ?? 'application/json';
    const schema = success.body ?? (success.contentType ? { type: 'string' as const } : undefined);
    responses[status] = {
      description: success.description,
      headers: headerObjects(success.headers),
      ...(schema ? { content: { [mediaType]: { schema } } } : {}),
    };
  }
  for (const status of [...operation.problems, 500]) responses[String(status)] ??= problemResponse(status);
  return responses;
}

function routeConfig(fn: HttpFunction, method: HttpMethod, operation: Operation): RouteConfig {
  const params = routeParamNames(fn.route);
  const methods = Object.keys(fn.operations);
  const headers = operation.headers
    ? z.object(Object.fromEntries(Object.entries(operation.headers).map(([name, description]) => [name, z.string().optional().meta({ description })])))
    : undefined;
  return {
    method: method.toLowerCase() as RouteConfig['method'],
    path: openApiPath(fn.route),
    operationId: methods.length === 1 ? fn.name : `${fn.name}${method[0]}${method.slice(1).toLowerCase()}`,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [fn.tag],
    security: operation.auth === 'bearer' ? [{ [BEARER]: [] }] : [],
    request: {
      ...(params.length > 0 ? { params: z.object(Object.fromEntries(params.map((name) => [name, z.string()]))) } : {}),
      ...(operation.query ? { query: operation.query as z.ZodObject } : {}),
      ...(headers ? { headers } : {}),
      ...(operation.body
        ? { body: { required: !operation.body.safeParse(undefined).success, content: { 'application/json': { schema: operation.body } } } }
        : {}),
    },
    responses: responsesOf(operation),
  };
}

export function buildOpenApiDocument(functions: readonly HttpFunction[] = HTTP_FUNCTIONS): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from /api/login, /api/signup, /api/token/refresh (players) or /api/token (game servers).',
  });
  for (const fn of functions) {
    for (const [method, operation] of Object.entries(fn.operations) as [HttpMethod, Operation][]) {
      registry.registerPath(routeConfig(fn, method, operation));
    }
  }
  // The Problem component is listed even before an operation refers to it (its .meta id names it).
  return new OpenApiGeneratorV31([...registry.definitions, problemSchema]).generateDocument({
    openapi: '3.1.0',
    info: { title: APP_NAME, version: APP_VERSION, description: 'Player accounts, sessions, presence, activity and events. Problems are RFC 9457 documents.' },
    servers: [{ url: '/' }],
    tags: [...new Set(functions.map((fn) => fn.tag))].map((name) => ({ name })),
  });
}

let built: { document: OpenApiDocument; json: string } | undefined;

/** The document of this process, and its JSON, built on first use. */
export function openApiDocument(): { document: OpenApiDocument; json: string } {
  if (!built) {
    const document = buildOpenApiDocument();
    built = { document, json: JSON.stringify(document) };
  }
  return built;
}
