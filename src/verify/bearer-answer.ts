import { AuthError, type AuthErrorCode } from '../errors.js';
import {
  bearerChallenge,
  bearerRefusalOf,
  stepUpChallengeOf,
  type BearerErrorCode,
} from '../token/bearer-refusal.js';

export type { BearerErrorCode };

/** An HTTP answer to a refused request, framework-neutral: the middlewares only copy it out. */
export interface BearerAnswer {
  status: number;
  headers: Record<string, string>;
  /** RFC 9457 problem, the same shape Tessera itself answers. */
  body: { type: string; title: string; status: number; detail: string; code: AuthErrorCode };
}

/**
 * Turns what verify() or a requirement threw into the RFC 6750 §3 answer the Tessera server gives to
 * the same request (the one mapping in src/token/bearer-refusal.ts, decision 0022): 401 with a bare
 * challenge when no Bearer credential came, 400 `invalid_request` for a malformed one, 401
 * `invalid_token` for a token that does not verify, 403 `insufficient_scope` for a missing role or
 * scope, 401 `insufficient_user_authentication` (RFC 9470) for a sign-in too weak or too old; 503 while the keys (or, fail-closed, the revocation feed) are unavailable. Anything else is a
 * bug: a 500 with a generic message, the error itself never reaches the client.
 */
export function bearerAnswer(error: unknown, realm: string): BearerAnswer {
  const refusal = error instanceof AuthError ? bearerRefusalOf(error) : undefined;
  if (refusal !== undefined) {
    const { code, message } = error as AuthError;
    const answer = problem(refusal.status, code, refusal.title, message);
    answer.headers['www-authenticate'] = bearerChallenge(
      realm,
      refusal.bearerError,
      message,
      stepUpChallengeOf(error),
    );
    return answer;
  }
  if (error instanceof AuthError && error.code === 'service_unavailable')
    return problem(503, error.code, 'Service unavailable', error.message);
  return problem(500, 'internal_error', 'Internal server error', 'The token could not be checked.');
}

function problem(status: number, code: AuthErrorCode, title: string, detail: string): BearerAnswer {
  return {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' },
    body: { type: `/problems/${code}`, title, status, detail, code },
  };
}
