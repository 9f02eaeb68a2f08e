/**
 * Platform CORS as App Service applies it in front of a function app (siteConfig.cors): the local
 * host answers preflights itself and adds the headers to real responses, so the app never sees
 * either. A disallowed origin gets no CORS headers at all; the browser then refuses the response.
 */
import type { IncomingMessage } from 'node:http';

export interface CorsPolicy {
  /** Origins as `scheme://host[:port]`, or ['*'] for any; empty: no cross-origin access. */
  allowedOrigins: string[];
  /** siteConfig.cors.supportCredentials; bicep leaves it off. */
  supportCredentials: boolean;
}

export const NO_CORS: CorsPolicy = { allowedOrigins: [], supportCredentials: false };

const normalise = (origin: string) => origin.trim().replace(/\/+$/, '').toLowerCase();

function isAllowed(policy: CorsPolicy, origin: string): boolean {
  return policy.allowedOrigins.some((allowed) => allowed === '*' || normalise(allowed) === normalise(origin));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** An OPTIONS request a browser sends before a cross-origin call. */
export function isPreflight(request: IncomingMessage): boolean {
  return request.method === 'OPTIONS' && header(request, 'origin') !== undefined && header(request, 'access-control-request-method') !== undefined;
}

/** The answer to a preflight: always 204; the CORS headers only for an allowed origin. */
export function preflightHeaders(policy: CorsPolicy, request: IncomingMessage): Record<string, string> {
  const origin = header(request, 'origin') ?? '';
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (!isAllowed(policy, origin)) return headers;
  headers['Access-Control-Allow-Origin'] = origin;
  headers['Access-Control-Allow-Methods'] = (header(request, 'access-control-request-method') ?? '').toUpperCase();
  const requested = header(request, 'access-control-request-headers');
  if (requested) headers['Access-Control-Allow-Headers'] = requested;
  if (policy.supportCredentials) headers['Access-Control-Allow-Credentials'] = 'true';
  return headers;
}

/** Headers added to a real response to a cross-origin request from an allowed origin. */
export function responseHeaders(policy: CorsPolicy, request: IncomingMessage): Record<string, string> {
  const origin = header(request, 'origin');
  if (origin === undefined) return {};
  if (!isAllowed(policy, origin)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    ...(policy.supportCredentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
  };
}
