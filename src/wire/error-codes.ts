/**
 * The one registry of error codes. Every code goes on the wire unchanged (problem+json `code`,
 * RFC 6750 `error_description` context) and has an entry in docs/errors.md; a test keeps the three
 * (this list, the HTTP mapping, the docs) in step. The server (src/errors.ts) and the SDK
 * (src/client/error-codes.ts) both import these lists; neither keeps a copy.
 */
export const TOKEN_ERROR_CODES = [
  'token_malformed',
  'token_too_large',
  'token_alg_not_allowed',
  'token_crit_unsupported',
  'key_not_found',
  'token_signature_invalid',
  'token_expired',
  'token_not_yet_valid',
  'token_claim_invalid',
] as const;

export const KEY_ERROR_CODES = ['key_invalid'] as const;

/** Codes of the use cases (src/flows/). */
export const FLOW_ERROR_CODES = [
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
] as const;

/** Codes only the HTTP edge raises (request shape, transport, abuse). */
export const HTTP_ERROR_CODES = [
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

export const AUTH_ERROR_CODES = [
  ...TOKEN_ERROR_CODES,
  ...KEY_ERROR_CODES,
  ...FLOW_ERROR_CODES,
  ...HTTP_ERROR_CODES,
] as const;

export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];
export type KeyErrorCode = (typeof KEY_ERROR_CODES)[number];
export type FlowErrorCode = (typeof FLOW_ERROR_CODES)[number];
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];
