/**
 * The one way an HTTP function is registered: its route, its handler and its contract together,
 * so the OpenAPI document (document.ts) is built from the same list the host serves and cannot
 * drift from it. Request schemas are the same zod schemas the handlers validate with.
 */
import { app } from '@azure/functions';
import type { z } from 'zod';
import { handle, type ServiceHandler } from '../http.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SuccessResponse {
  description: string;
  /** The JSON body; omit for an empty answer (204) or a non-JSON one (say which in the description). */
  body?: z.ZodType;
  /** Response headers worth documenting (ETag, Location, Retry-After), with what they carry. */
  headers?: Record<string, string>;
  /** For non-JSON answers: the media type (text/html for the docs page). */
  contentType?: string;
}

export interface Operation {
  summary: string;
  description?: string;
  /** "public": no token; "bearer": an access token (players, admins or game servers; the use case decides the rest). */
  auth: 'public' | 'bearer';
  body?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the operation reads (If-Match), with what they carry. */
  headers?: Record<string, string>;
  /** The answers when it works, by status. */
  responses: Partial<Record<number, SuccessResponse>>;
  /** Statuses an application/problem+json answer may come with (400, 401, 403, 404, 409, 412, 413, 415, 429, 503, ...). */
  problems: readonly number[];
}

export interface HttpFunction {
  name: string;
  /** Relative to /api, with {name} parameters, as app.http takes it. */
  route: string;
  /** The feature it belongs to: the document's tag. */
  tag: string;
  operations: Partial<Record<HttpMethod, Operation>>;
}

/**
 * host.json's routePrefix is "" so the console can live at /console/; the API keeps its /api
 * prefix here instead. Routes in this list (and the OpenAPI document) stay relative to /api.
 */
export const API_PREFIX = 'api';

/** Every HTTP function registered in this process, in registration order. */
export const HTTP_FUNCTIONS: HttpFunction[] = [];

export function httpFunction(
  name: string,
  definition: {
    route: string;
    tag: string;
    // Handlers name the part of the services they use (Pick<Services, ...>); any such handler fits.
    handler: ServiceHandler<never>;
    operations: Partial<Record<HttpMethod, Operation>>;
    /** How long the answer may take before a 503 (handle's default unless given: the AI call waits longer). */
    budgetMs?: number;
  },
): void {
  const { route, tag, operations, handler } = definition;
  HTTP_FUNCTIONS.push({ name, route, tag, operations });
  app.http(name, {
    route: `${API_PREFIX}/${route}`,
    methods: Object.keys(operations) as HttpMethod[],
    authLevel: 'anonymous',
    handler: handle(handler as ServiceHandler, undefined, definition.budgetMs),
  });
}
