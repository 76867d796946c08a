import { AuthError } from '../errors.js';
import { bearerTokenOf, namesBearerScheme } from '../token/bearer-credential.js';

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
  const token = bearerTokenOf(authorization);
  if (token !== undefined) return token;
  if (namesBearerScheme(authorization))
    throw new AuthError(
      'invalid_request',
      'The Authorization header is not a well-formed Bearer credential.',
    );
  throw new AuthError('unauthenticated', 'A bearer token is required.');
}
