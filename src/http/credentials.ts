import type { FastifyRequest } from 'fastify';
import { readCookie } from './cookies.js';
import { bearerTokenOf } from '../token/bearer-credential.js';
import { HttpError } from './http-error.js';

/** Where the credential came from; a cookie also says which kind of token it holds. */
export type PresentedCredential =
  { source: 'header'; token: string } | { source: 'cookie'; cookie: 'session' | 'access'; token: string };

/**
 * Finds the credential: the Authorization header (an access token or a session token), else the
 * session cookie, else the access cookie. Sign-in in either mode clears the other mode's cookies, so a
 * browser holds only one of them; the order matters only for clients that set both. Two Authorization
 * headers are an error rather than a guess which one counts. (Tokens in the query string never get
 * this far: buildApp refuses them for every route in an onRequest hook, see rejectQueryTokens.)
 */
export function findAccessCredential(request: FastifyRequest): PresentedCredential | undefined {
  const raw = request.raw.rawHeaders;
  let authorizationHeaders = 0;
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i]!.toLowerCase() === 'authorization') authorizationHeaders++;
  if (authorizationHeaders > 1)
    throw new HttpError('invalid_request', 'Send exactly one Authorization header.');
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = bearerTokenOf(header);
    if (token === undefined)
      throw new HttpError('invalid_request', 'The Authorization header must use the Bearer scheme.');
    return { source: 'header', token };
  }
  const session = readCookie(request, 'session');
  if (session !== undefined) return { source: 'cookie', cookie: 'session', token: session };
  const access = readCookie(request, 'access');
  return access === undefined ? undefined : { source: 'cookie', cookie: 'access', token: access };
}

/** Tokens in the query string are refused outright: they end up in logs and Referer headers (RFC 6750 §5.3). */
export function rejectQueryTokens(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined;
  if (query && ('access_token' in query || 'refresh_token' in query || 'token' in query)) {
    throw new HttpError('invalid_request', 'Tokens are never accepted in the query string.');
  }
}
