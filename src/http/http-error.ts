import { AuthError, type HttpErrorCode } from '../errors.js';

/** A request refused at the HTTP edge (shape, transport, abuse) before any use case ran. */
export class HttpError extends AuthError {
  declare readonly code: HttpErrorCode;

  constructor(
    code: HttpErrorCode,
    message: string,
    options?: { retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'HttpError';
  }
}
