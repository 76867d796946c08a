import { AuthError } from '../errors.js';
import { readBearerCredential } from '../token/bearer-credential.js';

/**
 * The bearer token of an Authorization header (one value, or every value of the request: pass all of
 * them, `rawHeaders` through authorizationValues, so that two headers are refused). No header, or
 * another scheme, is "no credentials" (`unauthenticated`, 401 without an error code, RFC 6750 §3.1); a
 * Bearer header that is not well formed, or several Authorization headers, is `invalid_request` (400).
 * The same grammar and the same answers as the Tessera server (decision 0022).
 */
export function readBearerToken(authorization: string | readonly string[] | undefined): string {
  const token = readBearerCredential(authorization);
  if (token === undefined) throw new AuthError('unauthenticated', 'A bearer token is required.');
  return token;
}
