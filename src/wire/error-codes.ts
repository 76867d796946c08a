/**
 * The one registry of error codes. Every code goes on the wire unchanged (problem+json `code`,
 * RFC 6750 `error_description` context) and has an entry in docs/errors.md; a test keeps the three
 * (this list, the HTTP mapping, the docs) in step. The server (src/errors.ts) and the SDK
 * (src/client/error-codes.ts) both import this list; neither keeps a copy.
 *
 * One flat literal, grouped by who raises a code: the SDK bundles this array as it is (decision
 * 0014: no group arrays spread together in the browser). Each group starts at the code named in
 * ERROR_CODE_GROUP_STARTS and runs to the next group's start, so a code added inside a group joins
 * it; the group types are derived from the list, and the server's group arrays (src/errors.ts) from
 * the same boundaries.
 */
export const AUTH_ERROR_CODES = [
  // token: raised by the token core (src/token/)
  'token_malformed',
  'token_too_large',
  'token_alg_not_allowed',
  'token_crit_unsupported',
  'key_not_found',
  'token_signature_invalid',
  'token_expired',
  'token_not_yet_valid',
  'token_claim_invalid',
  // key: raised by key handling (src/keys/)
  'key_invalid',
  // flow: raised by the use cases (src/flows/)
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
  'insufficient_user_authentication',
  // account recovery (src/flows/recovery/): verified addresses and one-time links
  'email_not_verified',
  'link_invalid',
  'link_wrong_purpose',
  'link_expired',
  'link_used',
  'link_revoked',
  // second factors (src/flows/mfa/): two-step sign-in, enrolment, recovery codes
  'mfa_required',
  'mfa_ticket_malformed',
  'mfa_ticket_invalid',
  'mfa_code_malformed',
  'mfa_code_invalid',
  'mfa_code_reused',
  'mfa_already_enrolled',
  'mfa_enrolment_not_found',
  'factor_not_found',
  'passkey_response_invalid',
  'passkey_challenge_invalid',
  'passkey_origin_mismatch',
  'passkey_rp_id_mismatch',
  'passkey_unknown',
  'passkey_verification_failed',
  'passkey_cloned',
  'passkey_already_registered',
  'passkey_not_found',
  'passkey_last_sign_in_method',
  // http: raised only by the HTTP edge (request shape, transport, abuse)
  'invalid_request',
  'payload_too_large',
  'headers_too_large',
  'request_timeout',
  'unsupported_media_type',
  'not_found',
  'csrf_rejected',
  'metrics_address_refused',
  'metrics_token_missing',
  'metrics_token_invalid',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;

type Codes = typeof AUTH_ERROR_CODES;
export type AuthErrorCode = Codes[number];

/** The first code of each group, in list order (types only: nothing here reaches the SDK bundle). */
export interface ErrorCodeGroupStarts {
  token: 'token_malformed';
  key: 'key_invalid';
  flow: 'unauthenticated';
  http: 'invalid_request';
}

/** The elements of tuple T from the one equal to From up to, not including, the one equal to To. */
export type CodesBetween<
  T extends readonly string[],
  From extends string,
  To extends string,
  Inside extends boolean = false,
> = T extends readonly [infer Head extends string, ...infer Rest extends readonly string[]]
  ? Head extends To
    ? []
    : Inside extends true
      ? [Head, ...CodesBetween<Rest, From, To, true>]
      : Head extends From
        ? [Head, ...CodesBetween<Rest, From, To, true>]
        : CodesBetween<Rest, From, To, false>
  : [];

type S = ErrorCodeGroupStarts;
export type TokenErrorCodes = CodesBetween<Codes, S['token'], S['key']>;
export type KeyErrorCodes = CodesBetween<Codes, S['key'], S['flow']>;
export type FlowErrorCodes = CodesBetween<Codes, S['flow'], S['http']>;
export type HttpErrorCodes = CodesBetween<Codes, S['http'], never>;

export type TokenErrorCode = TokenErrorCodes[number];
export type KeyErrorCode = KeyErrorCodes[number];
export type FlowErrorCode = FlowErrorCodes[number];
export type HttpErrorCode = HttpErrorCodes[number];
