/** The one place that turns errors into RFC 9457 application/problem+json responses. */
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { DomainError, type ErrorCode, type FieldError } from '../core/kernel/errors.js';

interface ProblemKind {
  status: number;
  title: string;
}

export const PROBLEM_KINDS: Record<ErrorCode, ProblemKind> = {
  VALIDATION_FAILED: { status: 400, title: 'Invalid request' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  USER_EXISTS: { status: 409, title: 'User already exists' },
  IDENTITY_TAKEN: { status: 409, title: 'Identity linked to another account' },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid credentials' },
  EMAIL_NOT_VERIFIED: { status: 403, title: 'Email not verified' },
  INVALID_TOKEN: { status: 400, title: 'Invalid or expired link' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  INSUFFICIENT_FUNDS: { status: 409, title: 'Insufficient funds' },
  PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  PRECONDITION_REQUIRED: { status: 428, title: 'Precondition required' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  SERVICE_BUSY: { status: 503, title: 'Service busy' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  NOT_CONFIGURED: { status: 503, title: 'Not configured' },
  UPSTREAM_FAILED: { status: 502, title: 'Upstream service failed' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream service timed out' },
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | 'INTERNAL';
  instance?: string;
  errors?: FieldError[];
}

/** A stable, documented identifier per problem (README: "Problems"). */
export function problemType(code: ErrorCode | 'INTERNAL'): string {
  return `urn:player-accounts:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

/** The document for a code; also what the local host answers for requests no function serves. */
export function problemDocument(code: ErrorCode, detail: string): ProblemDocument {
  const kind = PROBLEM_KINDS[code];
  return { type: problemType(code), title: kind.title, status: kind.status, detail, code };
}

export function problemResponse(error: DomainError): HttpResponseInit {
  const kind = PROBLEM_KINDS[error.code];
  const body: ProblemDocument = { ...problemDocument(error.code, error.message), ...(error.errors ? { errors: error.errors } : {}) };
  const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store' };
  if (kind.status === 401) headers['WWW-Authenticate'] = wwwAuthenticate(error.code);
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  return { status: kind.status, headers, jsonBody: body };
}

/** RFC 6750: a rejected token is `invalid_token`; no token at all gets the bare challenge. */
function wwwAuthenticate(code: ErrorCode): string {
  return code === 'UNAUTHENTICATED' ? 'Bearer realm="player-accounts", error="invalid_token"' : 'Bearer realm="player-accounts"';
}

/** Unknown errors: logged in full, answered with nothing but the invocation id to quote. */
export function internalErrorResponse(context: InvocationContext, error: unknown): HttpResponseInit {
  context.error('Unhandled error', error);
  const body: ProblemDocument = {
    type: problemType('INTERNAL'),
    title: 'Internal server error',
    status: 500,
    detail: `Something went wrong on our side. Quote invocation ${context.invocationId} when reporting it.`,
    code: 'INTERNAL',
    instance: `urn:invocation:${context.invocationId}`,
  };
  return { status: 500, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store' }, jsonBody: body };
}

/**
 * Any error as the caller's answer: a DomainError as its problem, an outage (as the adapters
 * recognise one) as 503 with Retry-After, anything else as a logged 500.
 */
export function errorResponse(context: InvocationContext, error: unknown, isDependencyUnavailable: (error: unknown) => boolean = () => false): HttpResponseInit {
  if (error instanceof DomainError) return problemResponse(error);
  if (isDependencyUnavailable(error)) {
    // An outage, not a bug: logged as a warning, and the caller is told to come back shortly.
    context.warn(`A dependency is unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return problemResponse(new DomainError('SERVICE_UNAVAILABLE', 'A service this request needs is unavailable right now; retry shortly.', { retryAfterSeconds: 5 }));
  }
  return internalErrorResponse(context, error);
}
