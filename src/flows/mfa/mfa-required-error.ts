import { FlowError } from '../flow-error.js';
import type { SecondFactorMethod } from './second-factor-methods.js';

/**
 * The first factor was right and a second one is due: no session was opened. Carries the ticket that
 * completes the sign-in (POST /auth/mfa/verify, or the MFA grant at /oauth/token) and the methods the
 * user may answer with. The HTTP edge adds them to the problem as `mfa_ticket`, `methods` and
 * `expires_in` (decision 0047).
 */
export class MfaRequiredError extends FlowError {
  readonly ticket: string;
  readonly methods: readonly SecondFactorMethod[];
  readonly expiresInSeconds: number;

  constructor(ticket: string, methods: readonly SecondFactorMethod[], expiresInSeconds: number) {
    super('mfa_required', 'A second factor is required to complete the sign-in.');
    this.name = 'MfaRequiredError';
    this.ticket = ticket;
    this.methods = methods;
    this.expiresInSeconds = expiresInSeconds;
  }
}

export function isMfaRequired(error: unknown): error is MfaRequiredError {
  return error instanceof MfaRequiredError;
}
