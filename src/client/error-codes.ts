/**
 * The server's error codes (src/errors.ts, docs/errors.md), repeated here because the SDK is a separate
 * browser bundle and must not import server code. test/unit/client/error-codes.test.ts fails when the
 * two lists drift apart.
 */
export const SERVER_ERROR_CODES = [
  'token_malformed',
  'token_too_large',
  'token_alg_not_allowed',
  'token_crit_unsupported',
  'key_not_found',
  'token_signature_invalid',
  'token_expired',
  'token_not_yet_valid',
  'token_claim_invalid',
  'key_invalid',
  'unauthenticated',
  'invalid_credentials',
  'account_locked',
  'account_disabled',
  'email_taken',
  'invalid_email',
  'weak_password',
  'refresh_token_invalid',
  'refresh_token_expired',
  'refresh_token_reused',
  'session_revoked',
  'session_expired',
  'session_not_found',
  'user_not_found',
  'client_not_found',
  'insufficient_scope',
  'invalid_request',
  'payload_too_large',
  'headers_too_large',
  'request_timeout',
  'unsupported_media_type',
  'not_found',
  'csrf_rejected',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;

/**
 * Codes only the SDK raises: `network_error` (fetch itself failed: offline, DNS, CORS),
 * `unexpected_response` (an answer that is not the documented JSON, e.g. a proxy's HTML error page).
 */
export const CLIENT_ERROR_CODES = ['network_error', 'unexpected_response'] as const;

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];
export type TesseraErrorCode = ServerErrorCode | ClientErrorCode;

const known: ReadonlySet<string> = new Set<string>(SERVER_ERROR_CODES);

export function isServerErrorCode(value: unknown): value is ServerErrorCode {
  return typeof value === 'string' && known.has(value);
}
