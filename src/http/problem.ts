import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthErrorCode } from '../errors.js';
import { BEARER_REFUSALS, bearerChallenge, type BearerErrorCode } from '../token/bearer-refusal.js';
import type { StepUpChallenge } from '../token/step-up.js';

/** How one error code goes on the wire. */
export interface ProblemMapping {
  status: number;
  title: string;
  /** RFC 6750 §3.1 error attribute of the Bearer challenge, when the code is about the access credential. */
  bearerError?: BearerErrorCode | undefined;
}

/**
 * The ONE place error codes become HTTP. A test checks that every code in src/wire/error-codes.ts is here. Codes
 * about the access credential take their answer from the RFC 6750 mapping shared with tessera/verify.
 */
export const PROBLEMS: Readonly<Record<AuthErrorCode, ProblemMapping>> = {
  ...BEARER_REFUSALS,
  key_invalid: { status: 500, title: 'Server key misconfigured' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  account_locked: { status: 429, title: 'Account temporarily locked' },
  account_disabled: { status: 403, title: 'Account disabled' },
  email_taken: { status: 409, title: 'E-mail already registered' },
  invalid_email: { status: 400, title: 'Invalid e-mail address' },
  weak_password: { status: 400, title: 'Password does not meet the policy' },
  refresh_token_invalid: { status: 401, title: 'Invalid refresh token' },
  refresh_token_expired: { status: 401, title: 'Refresh token expired' },
  refresh_token_reused: { status: 401, title: 'Refresh token reused' },
  session_not_found: { status: 404, title: 'Session not found' },
  user_not_found: { status: 404, title: 'User not found' },
  client_not_found: { status: 404, title: 'OAuth client not found' },
  email_not_verified: { status: 403, title: 'E-mail address not verified' },
  link_invalid: { status: 400, title: 'Invalid link' },
  link_wrong_purpose: { status: 400, title: 'Link not meant for this' },
  link_expired: { status: 410, title: 'Link expired' },
  link_used: { status: 410, title: 'Link already used' },
  link_revoked: { status: 410, title: 'Link replaced or cancelled' },
  mfa_required: { status: 401, title: 'Second factor required' },
  mfa_ticket_malformed: { status: 400, title: 'Malformed sign-in ticket' },
  mfa_ticket_invalid: { status: 401, title: 'Invalid or expired sign-in ticket' },
  mfa_code_malformed: { status: 400, title: 'Malformed code' },
  mfa_code_invalid: { status: 401, title: 'Invalid code' },
  mfa_code_reused: { status: 401, title: 'Code already used' },
  mfa_already_enrolled: { status: 409, title: 'Second factor already enrolled' },
  mfa_enrolment_not_found: { status: 404, title: 'No enrolment to confirm' },
  factor_not_found: { status: 404, title: 'Second factor not found' },
  passkey_response_invalid: { status: 400, title: 'Malformed passkey response' },
  passkey_challenge_invalid: { status: 400, title: 'Passkey challenge unknown, used or expired' },
  passkey_origin_mismatch: { status: 400, title: 'Passkey used from an origin not allowed' },
  passkey_rp_id_mismatch: { status: 400, title: 'Passkey bound to another relying party' },
  passkey_unknown: { status: 401, title: 'Passkey not registered' },
  passkey_verification_failed: { status: 401, title: 'Passkey verification failed' },
  passkey_cloned: { status: 401, title: 'Passkey counter went back (cloned authenticator)' },
  passkey_already_registered: { status: 409, title: 'Passkey already registered' },
  passkey_not_found: { status: 404, title: 'Passkey not found' },
  passkey_last_sign_in_method: { status: 409, title: 'Last way to sign in' },
  invalid_request: { status: 400, title: 'Invalid request' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  headers_too_large: { status: 431, title: 'Request header fields too large' },
  request_timeout: { status: 408, title: 'Request timeout' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  not_found: { status: 404, title: 'Not found' },
  metrics_address_refused: { status: 403, title: 'Metrics not served to this address' },
  metrics_token_missing: { status: 401, title: 'Metrics token required' },
  metrics_token_invalid: { status: 401, title: 'Invalid metrics token', bearerError: 'invalid_token' },
  rate_limited: { status: 429, title: 'Too many requests' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  internal_error: { status: 500, title: 'Internal server error' },
};

export const REALM = 'tessera';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path; absent only when the request could not be parsed (see client-error.ts). */
  instance?: string;
  code: AuthErrorCode;
}

/** The RFC 9457 body of a code, the one shape every Tessera error has. */
export function problemBody(code: AuthErrorCode, detail: string, instance?: string): Problem {
  const { status, title } = PROBLEMS[code];
  return {
    type: `/problems/${code}`,
    title,
    status,
    detail,
    ...(instance === undefined ? {} : { instance }),
    code,
  };
}

/**
 * Sends an RFC 9457 problem. 401s carry an RFC 6750 Bearer challenge (401 must carry a challenge,
 * RFC 9110 §15.5.2); the error attribute is added when the refusal is about the access credential
 * (the code's mapping, or `options.bearerError` for a malformed credential, see bearerRefusalOf).
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: AuthErrorCode,
  detail: string,
  options: {
    retryAfterSeconds?: number | undefined;
    bearerError?: ProblemMapping['bearerError'];
    /** RFC 9470 `acr_values` / `max_age` of an `insufficient_user_authentication` challenge. */
    stepUp?: StepUpChallenge | undefined;
    /** RFC 9457 §3.2 extension members (e.g. `mfa_ticket` and `methods` of mfa_required); declared in the Problem schema. */
    extensions?: Readonly<Record<string, unknown>> | undefined;
  } = {},
): FastifyReply {
  const mapping = PROBLEMS[code];
  const bearerError = options.bearerError ?? mapping.bearerError;
  if (mapping.status === 401 || bearerError !== undefined)
    reply.header('www-authenticate', bearerChallenge(REALM, bearerError, detail, options.stepUp));
  if (options.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(options.retryAfterSeconds))));
  // The path only (a query may hold secrets), capped so a huge URL cannot make a huge error body.
  const body = {
    ...problemBody(code, detail, (request.url.split('?')[0] ?? '/').slice(0, 256)),
    ...options.extensions,
  };
  return reply
    .code(mapping.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(body);
}
