import {
  AUTH_ERROR_CODES,
  type AuthErrorCode,
  type ErrorCodeGroupStarts,
  type FlowErrorCodes,
  type HttpErrorCodes,
  type KeyErrorCodes,
  type TokenErrorCodes,
} from './wire/error-codes.js';

/**
 * The registry of error codes lives in the wire contract (src/wire/error-codes.ts), shared with the
 * SDK; it is re-exported here, where the server's code has always found it. The group arrays exist
 * only on the server: they are cut from the flat list at the group starts the wire module names, so
 * the SDK bundle carries the list once (decision 0014).
 */
export {
  AUTH_ERROR_CODES,
  type AuthErrorCode,
  type TokenErrorCode,
  type KeyErrorCode,
  type FlowErrorCode,
  type HttpErrorCode,
} from './wire/error-codes.js';

const GROUP_STARTS: ErrorCodeGroupStarts = {
  token: 'token_malformed',
  key: 'key_invalid',
  flow: 'unauthenticated',
  http: 'invalid_request',
};

function codesFrom(start: AuthErrorCode, end?: AuthErrorCode): readonly AuthErrorCode[] {
  const first = AUTH_ERROR_CODES.indexOf(start);
  return Object.freeze(
    AUTH_ERROR_CODES.slice(first, end === undefined ? undefined : AUTH_ERROR_CODES.indexOf(end)),
  );
}

const { token, key, flow, http } = GROUP_STARTS;
export const TOKEN_ERROR_CODES = codesFrom(token, key) as unknown as Readonly<TokenErrorCodes>;
export const KEY_ERROR_CODES = codesFrom(key, flow) as unknown as Readonly<KeyErrorCodes>;
export const FLOW_ERROR_CODES = codesFrom(flow, http) as unknown as Readonly<FlowErrorCodes>;
export const HTTP_ERROR_CODES = codesFrom(http) as unknown as Readonly<HttpErrorCodes>;

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
