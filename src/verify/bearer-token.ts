import { AuthError } from '../errors.js';

/** RFC 6750 §2.1: `Bearer` then one b64token (the scheme name is case-insensitive, RFC 9110 §11.1). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The bearer token of an Authorization header. No header, or another scheme, is "no credentials"
 * (401 without an error code, RFC 6750 §3.1); a Bearer header that is not well formed, or several
 * Authorization headers, is `invalid_request` (400).
 */
export function readBearerToken(authorization: string | readonly string[] | undefined): string {
  if (authorization === undefined || authorization === '')
    throw new AuthError('unauthenticated', 'A bearer token is required.');
  if (typeof authorization !== 'string')
    throw new AuthError('invalid_request', 'Send exactly one Authorization header.');
  const match = BEARER.exec(authorization);
  if (match !== null) return match[1]!;
  if (/^Bearer(\s|$)/i.test(authorization))
    throw new AuthError(
      'invalid_request',
      'The Authorization header is not a well-formed Bearer credential.',
    );
  throw new AuthError('unauthenticated', 'A bearer token is required.');
}
