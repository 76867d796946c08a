import type { AuthErrorCode } from './wire/error-codes.js';

/**
 * The registry of error codes lives in the wire contract (src/wire/error-codes.ts), shared with the
 * SDK; it is re-exported here, where the server's code has always found it.
 */
export {
  TOKEN_ERROR_CODES,
  KEY_ERROR_CODES,
  FLOW_ERROR_CODES,
  HTTP_ERROR_CODES,
  AUTH_ERROR_CODES,
  type TokenErrorCode,
  type KeyErrorCode,
  type FlowErrorCode,
  type HttpErrorCode,
  type AuthErrorCode,
} from './wire/error-codes.js';

/**
 * Base class of every domain error. `message` is safe to show to a client: it never contains a
 * token, a key, a secret, a password or a claim value. Internal detail goes in `cause`.
 */
export class AuthError extends Error {
  readonly code: AuthErrorCode;
  /** Seconds the client should wait before trying again (429/503 `Retry-After`), when that applies. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.code = code;
    this.name = 'AuthError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}

/**
 * "The store cannot answer right now" (busy, I/O error, closed, connection lost): the HTTP edge
 * answers it with 503 and Retry-After instead of 500, because retrying later can work. Each store
 * adapter throws it at its own boundary, translating its driver's errors (the driver error is the
 * `cause`), so nothing above the adapters recognises driver codes or messages.
 */
export class StoreUnavailableError extends Error {
  constructor(message = 'The store is unavailable.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
