import { AuthError, TOKEN_ERROR_CODES, type AuthErrorCode } from '../errors.js';

export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** An HTTP answer to a refused request, framework-neutral: the middlewares only copy it out. */
export interface BearerAnswer {
  status: number;
  headers: Record<string, string>;
  /** RFC 9457 problem, the same shape Tessera itself answers. */
  body: { type: string; title: string; status: number; detail: string; code: AuthErrorCode };
}

const TOKEN_CODES: ReadonlySet<string> = new Set<string>([
  ...TOKEN_ERROR_CODES,
  'session_revoked',
  'session_expired',
]);

/**
 * Turns what verify() or a requirement threw into an RFC 6750 §3 answer: 401 `invalid_token` for a
 * token that does not verify, 403 `insufficient_scope` for a missing role or scope, 400
 * `invalid_request` for a malformed request, 401 with a bare challenge when no token came at all,
 * 503 while the keys (or, fail-closed, the revocation feed) are unavailable. Anything else is a bug:
 * a 500 with a generic message, the error itself never reaches the client.
 */
export function bearerAnswer(error: unknown, realm: string): BearerAnswer {
  if (!(error instanceof AuthError)) {
    return problem(500, 'internal_error', 'Internal server error', 'The token could not be checked.');
  }
  const { code, message } = error;
  if (TOKEN_CODES.has(code)) return challenged(401, code, 'Invalid token', message, realm, 'invalid_token');
  switch (code) {
    case 'insufficient_scope':
      return challenged(403, code, 'Insufficient scope', message, realm, 'insufficient_scope');
    case 'invalid_request':
      return challenged(400, code, 'Invalid request', message, realm, 'invalid_request');
    case 'unauthenticated':
      return challenged(401, code, 'Authentication required', message, realm, undefined);
    case 'service_unavailable':
      return problem(503, code, 'Service unavailable', message);
    default:
      return problem(500, 'internal_error', 'Internal server error', 'The token could not be checked.');
  }
}

function challenged(
  status: number,
  code: AuthErrorCode,
  title: string,
  detail: string,
  realm: string,
  bearerError: BearerErrorCode | undefined,
): BearerAnswer {
  const answer = problem(status, code, title, detail);
  answer.headers['www-authenticate'] = bearerChallenge(realm, bearerError, detail);
  return answer;
}

function problem(status: number, code: AuthErrorCode, title: string, detail: string): BearerAnswer {
  return {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' },
    body: { type: `/problems/${code}`, title, status, detail, code },
  };
}

/** RFC 6750 §3: quoted-string values limited to %x20-21 / %x23-5B / %x5D-7E (no quotes, no backslashes). */
function bearerChallenge(realm: string, error: BearerErrorCode | undefined, detail: string): string {
  const clean = (text: string): string => text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
  if (error === undefined) return `Bearer realm="${clean(realm)}"`;
  return `Bearer realm="${clean(realm)}", error="${error}", error_description="${clean(detail)}"`;
}
