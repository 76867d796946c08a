import type { FastifyRequest } from 'fastify';
import { readCookie } from './cookies.js';
import {
  authorizationValues,
  QUERY_TOKEN_PARAMETERS,
  readBearerCredential,
  refuseQueryToken,
} from '../token/bearer-credential.js';

/** Where the credential came from; a cookie also says which kind of token it holds. */
export type PresentedCredential =
  { source: 'header'; token: string } | { source: 'cookie'; cookie: 'session' | 'access'; token: string };

/**
 * Finds the credential: a Bearer Authorization header (an access token or a session token), else the
 * session cookie, else the access cookie. The header is read by the grammar tessera/verify uses
 * (readBearerCredential): a malformed Bearer header or two Authorization headers throw
 * `invalid_request`; a header of another scheme (Basic, for a proxy in front) carries no credential of
 * ours, so the cookies are looked at as if it were absent (decision 0022). Sign-in in either mode
 * clears the other mode's cookies, so a browser holds only one of them; the order matters only for
 * clients that set both. (Tokens in the query string never get this far: buildApp refuses them for
 * every route in an onRequest hook, see rejectQueryTokens.)
 */
export function findAccessCredential(request: FastifyRequest): PresentedCredential | undefined {
  const token = readBearerCredential(authorizationValues(request.raw.rawHeaders));
  if (token !== undefined) return { source: 'header', token };
  const session = readCookie(request, 'session');
  if (session !== undefined) return { source: 'cookie', cookie: 'session', token: session };
  const access = readCookie(request, 'access');
  return access === undefined ? undefined : { source: 'cookie', cookie: 'access', token: access };
}

/** Tessera's own token parameters, beyond RFC 6750's `access_token`: none is read from a query. */
const SERVER_QUERY_TOKEN_PARAMETERS = [...QUERY_TOKEN_PARAMETERS, 'refresh_token', 'token'];

/**
 * Tokens in the query string are refused outright on every route, 400 `invalid_request` with a
 * challenge: they end up in logs and Referer headers (RFC 6750 §5.3).
 */
export function rejectQueryTokens(request: FastifyRequest): void {
  refuseQueryToken(request.url, SERVER_QUERY_TOKEN_PARAMETERS);
}
