/**
 * The error vocabulary of the /oauth/* endpoints: RFC 6749 §5.2 (token), RFC 7009 §2.2.1 (revocation)
 * and RFC 7662 (introspection). These codes live beside the problem+json registry in src/errors.ts
 * because the OAuth endpoints answer `{error, error_description}` as the RFCs define, not RFC 9457.
 */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unsupported_token_type',
  'temporarily_unavailable',
  'server_error',
  // Not in RFC 6749: the password was right and a second factor is due (as Auth0 answers; decision 0047).
  'mfa_required',
] as const;

export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/** HTTP status of each code: 400 per RFC 6749 §5.2 unless the RFCs or HTTP say otherwise. */
const STATUS: Readonly<Record<OAuthErrorCode, number>> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  unsupported_token_type: 400,
  temporarily_unavailable: 503,
  server_error: 500,
  mfa_required: 403,
};

/** A refusal at an OAuth endpoint. `description` is safe to send: never a token, secret or password. */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  /** RFC 6749 §5.2: a failed client_secret_basic answers 401 with a Basic challenge. */
  readonly basicChallenge: boolean;
  readonly retryAfterSeconds: number | undefined;
  /** mfa_required: the ticket the client completes with the MFA grant (MFA_GRANT_TYPE). */
  readonly mfaTicket: string | undefined;

  constructor(
    error: OAuthErrorCode,
    description: string,
    options: {
      status?: number;
      basicChallenge?: boolean;
      retryAfterSeconds?: number;
      cause?: unknown;
      mfaTicket?: string;
    } = {},
  ) {
    super(description, { cause: options.cause });
    this.name = 'OAuthError';
    this.error = error;
    this.status = options.status ?? STATUS[error];
    this.basicChallenge = options.basicChallenge ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.mfaTicket = options.mfaTicket;
  }
}

export function isOAuthError(error: unknown): error is OAuthError {
  return error instanceof OAuthError;
}
