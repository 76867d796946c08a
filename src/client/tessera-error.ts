import type { TesseraErrorCode } from './error-codes.js';
import type { TesseraErrorInit } from './types.js';

/** Every failure the SDK reports: the server's problem+json `code`, or a client-only one. */
export class TesseraError extends Error {
  readonly code: TesseraErrorCode;
  /** HTTP status; 0 when no answer came (network error). */
  readonly status: number;
  /** From `Retry-After` on 429/503, else null. */
  readonly retryAfterSeconds: number | null;
  /** `insufficient_user_authentication` (RFC 9470): the acceptable sign-in levels (`acr_values`); else null. */
  readonly acrValues: string[] | null;
  /** `insufficient_user_authentication`: how recent the new sign-in must be (`max_age`, seconds); else null. */
  readonly maxAgeSeconds: number | null;

  constructor(init: TesseraErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TesseraError';
    this.code = init.code;
    this.status = init.status;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.acrValues = init.stepUp?.acrValues ?? null;
    this.maxAgeSeconds = init.stepUp?.maxAgeSeconds ?? null;
  }
}

export function isTesseraError(value: unknown): value is TesseraError {
  return value instanceof TesseraError;
}
