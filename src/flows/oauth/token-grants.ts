import { isAuthError } from '../../errors.js';
import type { Deps, RequestContext } from '../deps.js';
import type { TokenPair } from '../sessions/open-jwt-session.js';
import type { OAuthClient } from './clients.js';
import { OAuthError } from './oauth-error.js';
import { grantScope, parseScope } from './scope.js';
import { refresh } from '../sessions/refresh.js';
import { signIn } from '../auth/sign-in.js';
import { completeSignIn } from '../mfa/complete-sign-in.js';
import { isMfaRequired } from '../mfa/mfa-required-error.js';

/** The token request's parameters (RFC 6749 §4.3.2, §6), each at most once, empty ones omitted. */
export interface TokenRequest {
  grant_type?: string;
  username?: string;
  password?: string;
  refresh_token?: string;
  scope?: string;
  /** The MFA grant (MFA_GRANT_TYPE): the ticket of mfa_required and one answer. */
  mfa_ticket?: string;
  otp?: string;
  recovery_code?: string;
}

/** RFC 6749 §5.1. */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope?: string;
}

/**
 * The second step of a password grant answered mfa_required (decision 0047): an extension grant
 * (RFC 6749 §4.5) the same client completes with `mfa_ticket` and `otp` or `recovery_code`.
 */
export const MFA_GRANT_TYPE = 'urn:tessera:params:oauth:grant-type:mfa';

const SUPPORTED_GRANTS = ['password', 'refresh_token', MFA_GRANT_TYPE] as const;

/** POST /oauth/token for an authenticated client: dispatches on grant_type. */
export async function exchangeToken(
  deps: Deps,
  client: OAuthClient,
  request: TokenRequest,
  context: RequestContext,
): Promise<OAuthTokenResponse> {
  const grantType = request.grant_type;
  if (grantType === undefined)
    throw new OAuthError('invalid_request', 'The grant_type parameter is missing.');
  if (!(SUPPORTED_GRANTS as readonly string[]).includes(grantType)) {
    throw new OAuthError(
      'unsupported_grant_type',
      `Supported grant types: password, refresh_token, ${MFA_GRANT_TYPE}.`,
    );
  }
  // The MFA grant finishes a password grant, so a client allowed the one is allowed the other.
  const registeredAs = grantType === MFA_GRANT_TYPE ? 'password' : grantType;
  if (!(client.grantTypes as string[]).includes(registeredAs)) {
    throw new OAuthError('unauthorized_client', `This client may not use the ${grantType} grant.`);
  }
  const pair =
    grantType === 'password'
      ? await passwordGrant(deps, client, request, context)
      : grantType === MFA_GRANT_TYPE
        ? await mfaGrant(deps, client, request, context)
        : await refreshTokenGrant(deps, client, request, context);
  return {
    access_token: pair.accessToken,
    token_type: 'Bearer',
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
    ...(pair.scope !== undefined && pair.scope !== '' && { scope: pair.scope }),
  };
}

/**
 * RFC 6749 §4.3: the login pipeline (sign-in.ts: lockout, no enumeration, the same cost for an
 * unknown account, policies), opening a JWT-mode session bound to the client and the granted scope.
 */
async function passwordGrant(
  deps: Deps,
  client: OAuthClient,
  request: TokenRequest,
  context: RequestContext,
): Promise<TokenPair> {
  if (request.username === undefined || request.password === undefined) {
    throw new OAuthError('invalid_request', 'The password grant needs username and password.');
  }
  const scope = grantScope(parseScope(request.scope), client.scopes);
  const attempt = {
    proof: { kind: 'password', email: request.username, password: request.password },
    open: { kind: 'oauth', clientId: client.clientId, scope: scope.join(' ') },
  } as const;
  return signIn(deps, attempt, context).catch((error: unknown) => {
    if (isMfaRequired(error)) {
      throw new OAuthError('mfa_required', error.message, { mfaTicket: error.ticket, cause: error });
    }
    throw asInvalidGrant(error, 'The username or password is incorrect.');
  });
}

/**
 * The MFA grant: the ticket of this client's password grant, answered. It opens the session that grant
 * asked for (client and scope) through the login pipeline; a ticket of another client is invalid_grant.
 */
async function mfaGrant(
  deps: Deps,
  client: OAuthClient,
  request: TokenRequest,
  context: RequestContext,
): Promise<TokenPair> {
  const { mfa_ticket: ticket, otp, recovery_code: recoveryCode } = request;
  if (ticket === undefined || (otp === undefined) === (recoveryCode === undefined)) {
    throw new OAuthError(
      'invalid_request',
      'The MFA grant needs mfa_ticket and exactly one of otp, recovery_code.',
    );
  }
  const answer =
    otp !== undefined
      ? ({ kind: 'totp', code: otp } as const)
      : ({ kind: 'recovery_code', code: recoveryCode ?? '' } as const);
  const presenter = { kind: 'oauth', clientId: client.clientId } as const;
  try {
    const done = await completeSignIn(deps, { ticket, answer }, presenter, context);
    if (done.kind !== 'tokens') throw new OAuthError('invalid_grant', 'The ticket is not valid.');
    return done.session;
  } catch (error) {
    if (
      isAuthError(error) &&
      (error.code === 'mfa_code_malformed' || error.code === 'mfa_ticket_malformed')
    ) {
      throw new OAuthError('invalid_request', error.message, { cause: error });
    }
    throw asInvalidGrant(error, 'The second factor is not valid.');
  }
}

/** RFC 6749 §6: the refresh flow (rotation, reuse detection), bound to the client the token was issued to. */
async function refreshTokenGrant(
  deps: Deps,
  client: OAuthClient,
  request: TokenRequest,
  context: RequestContext,
): Promise<TokenPair> {
  if (request.refresh_token === undefined) {
    throw new OAuthError('invalid_request', 'The refresh_token parameter is missing.');
  }
  const scope = parseScope(request.scope);
  const binding = { clientId: client.clientId, ...(scope !== undefined && { scope }) };
  return refresh(deps, request.refresh_token, context, binding).catch((error: unknown) => {
    if (isAuthError(error) && error.code === 'insufficient_scope') {
      throw new OAuthError('invalid_scope', error.message);
    }
    throw asInvalidGrant(error, 'The refresh token is not valid.');
  });
}

/** Domain refusals of a grant become `invalid_grant`; rate limits and store failures pass unchanged. */
function asInvalidGrant(error: unknown, fallback: string): unknown {
  if (!isAuthError(error) || error.code === 'rate_limited' || error.code === 'service_unavailable')
    return error;
  switch (error.code) {
    case 'account_locked':
    case 'account_disabled':
    case 'email_not_verified':
    case 'mfa_code_invalid':
    case 'mfa_code_reused':
    case 'mfa_ticket_invalid':
    case 'refresh_token_reused':
    case 'refresh_token_expired':
    case 'session_revoked':
      return new OAuthError('invalid_grant', error.message, { cause: error });
    default:
      return new OAuthError('invalid_grant', fallback, { cause: error });
  }
}
