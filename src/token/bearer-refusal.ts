import type { AuthError, AuthErrorCode, TokenErrorCode } from '../errors.js';
import { MalformedCredentialError } from './bearer-credential.js';
import { StepUpRequiredError, type StepUpChallenge } from './step-up.js';

/** The `error` attribute of a Bearer challenge: RFC 6750 §3.1, and RFC 9470 §3's step-up. */
export type BearerErrorCode =
  'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'insufficient_user_authentication';

/** How a refusal about the access credential goes on the wire. */
export interface BearerRefusal {
  status: 400 | 401 | 403;
  title: string;
  /** The challenge's `error`; undefined = a bare `Bearer realm="…"` (no credentials were presented). */
  bearerError: BearerErrorCode | undefined;
}

const invalidToken = (title: string): BearerRefusal => ({ status: 401, title, bearerError: 'invalid_token' });

/**
 * THE mapping of RFC 6750 §3 and §3.1, used by the server (src/http/problem.ts) and by tessera/verify
 * (src/verify/bearer-answer.ts) alike, so the same credential gets the same answer from both
 * (decision 0022; table in docs/errors.md):
 * - no Bearer credential at all (no header, another scheme such as Basic): 401, bare challenge;
 * - a malformed request (MalformedCredentialError): 400 `invalid_request`;
 * - a token that fits the grammar but does not verify, or whose session is over: 401 `invalid_token`;
 * - a valid token without the role or scope: 403 `insufficient_scope`;
 * - a valid token whose sign-in is too weak or too old for the resource: 401
 *   `insufficient_user_authentication` with `acr_values` and/or `max_age` (RFC 9470 §3);
 * - a cookie credential used without the CSRF proof: 403 `invalid_request` (the request, not the
 *   token, is at fault; 403 as before, since the client may not simply retry it).
 */
export const BEARER_REFUSALS = Object.freeze({
  token_malformed: invalidToken('Malformed token'),
  token_too_large: invalidToken('Token too large'),
  token_alg_not_allowed: invalidToken('Token algorithm not allowed'),
  token_crit_unsupported: invalidToken('Unsupported critical header'),
  key_not_found: invalidToken('Unknown signing key'),
  token_signature_invalid: invalidToken('Invalid token signature'),
  token_expired: invalidToken('Token expired'),
  token_not_yet_valid: invalidToken('Token not yet valid'),
  token_claim_invalid: invalidToken('Invalid token claim'),
  session_revoked: invalidToken('Session revoked'),
  session_expired: invalidToken('Session expired'),
  unauthenticated: { status: 401, title: 'Authentication required', bearerError: undefined },
  insufficient_scope: { status: 403, title: 'Insufficient scope', bearerError: 'insufficient_scope' },
  insufficient_user_authentication: {
    status: 401,
    title: 'Insufficient user authentication',
    bearerError: 'insufficient_user_authentication',
  },
  csrf_rejected: { status: 403, title: 'Cross-site request rejected', bearerError: 'invalid_request' },
} satisfies Partial<Record<AuthErrorCode, BearerRefusal>> & Record<TokenErrorCode, BearerRefusal>);

/** The answer to a MalformedCredentialError (code `invalid_request`). */
export const MALFORMED_CREDENTIAL: BearerRefusal = Object.freeze({
  status: 400,
  title: 'Invalid request',
  bearerError: 'invalid_request',
});

/** The RFC 6750 answer to an error, or undefined when the error is not about the access credential. */
export function bearerRefusalOf(error: AuthError): BearerRefusal | undefined {
  if (error instanceof MalformedCredentialError) return MALFORMED_CREDENTIAL;
  return (BEARER_REFUSALS as Partial<Record<AuthErrorCode, BearerRefusal>>)[error.code];
}

/** The step-up parameters an error carries for its challenge, or undefined. */
export function stepUpChallengeOf(error: unknown): StepUpChallenge | undefined {
  return error instanceof StepUpRequiredError ? error.challenge : undefined;
}

/**
 * The `WWW-Authenticate` value. Quoted-string values are limited to %x20-21 / %x23-5B / %x5D-7E
 * (RFC 6750 §3): quotes, backslashes and anything outside ASCII are dropped. A step-up challenge
 * adds RFC 9470 §3's `acr_values` (space-separated) and `max_age` (seconds), each only when asked for.
 */
export function bearerChallenge(
  realm: string,
  error?: BearerErrorCode,
  description?: string,
  stepUp?: StepUpChallenge,
): string {
  const clean = (text: string): string => text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
  if (error === undefined) return `Bearer realm="${clean(realm)}"`;
  let value = `Bearer realm="${clean(realm)}", error="${error}", error_description="${clean(description ?? '')}"`;
  if (stepUp !== undefined && stepUp.acrValues.length > 0)
    value += `, acr_values="${clean(stepUp.acrValues.join(' '))}"`;
  if (stepUp?.maxAgeSeconds !== undefined) value += `, max_age="${stepUp.maxAgeSeconds}"`;
  return value;
}
