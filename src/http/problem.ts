import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_ERROR_CODES, type AuthErrorCode } from '../errors.js';

/** How one error code goes on the wire. */
export interface ProblemMapping {
  status: number;
  title: string;
  /** RFC 6750 §3.1 error attribute of the Bearer challenge, when the code is about the access credential. */
  bearerError?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
}

const invalidToken = (title: string): ProblemMapping => ({
  status: 401,
  title,
  bearerError: 'invalid_token',
});

/** The ONE place error codes become HTTP. A test checks that every code in src/wire/error-codes.ts is here. */
export const PROBLEMS: Readonly<Record<AuthErrorCode, ProblemMapping>> = {
  token_malformed: invalidToken('Malformed token'),
  token_too_large: invalidToken('Token too large'),
  token_alg_not_allowed: invalidToken('Token algorithm not allowed'),
  token_crit_unsupported: invalidToken('Unsupported critical header'),
  key_not_found: invalidToken('Unknown signing key'),
  token_signature_invalid: invalidToken('Invalid token signature'),
  token_expired: invalidToken('Token expired'),
  token_not_yet_valid: invalidToken('Token not yet valid'),
  token_claim_invalid: invalidToken('Invalid token claim'),
  key_invalid: { status: 500, title: 'Server key misconfigured' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  account_locked: { status: 429, title: 'Account temporarily locked' },
  account_disabled: { status: 403, title: 'Account disabled' },
  email_taken: { status: 409, title: 'E-mail already registered' },
  invalid_email: { status: 400, title: 'Invalid e-mail address' },
  weak_password: { status: 400, title: 'Password does not meet the policy' },
  refresh_token_invalid: { status: 401, title: 'Invalid refresh token' },
  refresh_token_expired: { status: 401, title: 'Refresh token expired' },
  refresh_token_reused: { status: 401, title: 'Refresh token reused' },
  session_revoked: invalidToken('Session revoked'),
  session_expired: invalidToken('Session expired'),
  session_not_found: { status: 404, title: 'Session not found' },
  user_not_found: { status: 404, title: 'User not found' },
  client_not_found: { status: 404, title: 'OAuth client not found' },
  insufficient_scope: { status: 403, title: 'Insufficient scope', bearerError: 'insufficient_scope' },
  invalid_request: { status: 400, title: 'Invalid request' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  not_found: { status: 404, title: 'Not found' },
  csrf_rejected: { status: 403, title: 'Cross-site request rejected' },
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
  instance: string;
  code: AuthErrorCode;
}

export function isAuthErrorCode(value: unknown): value is AuthErrorCode {
  return typeof value === 'string' && (AUTH_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Sends an RFC 9457 problem. 401s carry an RFC 6750 Bearer challenge (401 must carry a challenge,
 * RFC 9110 §15.5.2); the error attribute is added when the code is about the presented token.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: AuthErrorCode,
  detail: string,
  options: { retryAfterSeconds?: number | undefined; bearerError?: ProblemMapping['bearerError'] } = {},
): FastifyReply {
  const mapping = PROBLEMS[code];
  const bearerError = options.bearerError ?? mapping.bearerError;
  if (mapping.status === 401 || bearerError !== undefined)
    reply.header('www-authenticate', bearerChallenge(bearerError, detail));
  if (options.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(options.retryAfterSeconds))));
  const body: Problem = {
    type: `/problems/${code}`,
    title: mapping.title,
    status: mapping.status,
    detail,
    // The path only (a query may hold secrets), capped so a huge URL cannot make a huge error body.
    instance: (request.url.split('?')[0] ?? '/').slice(0, 256),
    code,
  };
  return reply
    .code(mapping.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(body);
}

function bearerChallenge(error: ProblemMapping['bearerError'], detail: string): string {
  if (error === undefined) return `Bearer realm="${REALM}"`;
  // error_description is limited to %x20-21 / %x23-5B / %x5D-7E (RFC 6750 §3): no quotes or backslashes.
  const description = detail.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
  return `Bearer realm="${REALM}", error="${error}", error_description="${description}"`;
}
