import { AuthError, type KeyErrorCode, type TokenErrorCode } from '../errors.js';

/**
 * A token failed to parse or verify. The message is a fixed sentence per rule: it never echoes the
 * token, a header value or a claim value (those are attacker-controlled and may be secrets).
 */
export class TokenError extends AuthError {
  declare readonly code: TokenErrorCode;
  /** The claim or header parameter that failed, when one did (`exp`, `aud`, `typ`, …). */
  readonly claim: string | undefined;

  constructor(code: TokenErrorCode, message: string, options?: { claim?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'TokenError';
    this.claim = options?.claim;
  }
}

/** Key material was refused at import or generation (wrong type for the algorithm, too short, …). */
export class KeyError extends AuthError {
  declare readonly code: KeyErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super('key_invalid', message, options);
    this.name = 'KeyError';
  }
}
