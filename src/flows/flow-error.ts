import { AuthError, type FlowErrorCode } from '../errors.js';

/** A use case refused the request. The message is safe for clients; detail goes in `cause`. */
export class FlowError extends AuthError {
  declare readonly code: FlowErrorCode;

  constructor(
    code: FlowErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(code, message, options);
    this.name = 'FlowError';
  }
}
