/**
 * Domain errors carry a stable code; one function at the HTTP edge (platform/problem.ts) turns them
 * into RFC 9457 problem responses. Anything that is not a DomainError is a bug or an outage.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'USER_EXISTS'
  | 'IDENTITY_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'EMAIL_NOT_VERIFIED'
  | 'INVALID_TOKEN'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'PRECONDITION_FAILED'
  | 'PRECONDITION_REQUIRED'
  | 'RATE_LIMITED'
  | 'SERVICE_BUSY'
  | 'SERVICE_UNAVAILABLE'
  | 'NOT_CONFIGURED'
  | 'UPSTREAM_FAILED'
  | 'UPSTREAM_TIMEOUT';

export interface FieldError {
  field: string;
  message: string;
}

export interface DomainErrorOptions {
  errors?: FieldError[];
  /** Seconds a client should wait before retrying (429, 503). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function validationError(errors: FieldError[], message = 'The request has invalid fields.'): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { errors });
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

/**
 * An upstream refused this service's own credential (e.g. a rotated API key). Not a DomainError:
 * use cases catch it to re-read the secret and retry; it must never reach a caller as it is.
 */
export class CredentialRejectedError extends Error {
  constructor(message = 'The upstream service refused our credential.') {
    super(message);
    this.name = 'CredentialRejectedError';
  }
}
