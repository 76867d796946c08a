import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import type { TokenPair } from '../../flows/sessions/open-jwt-session.js';
import { setRefreshCookie, setTokenCookies } from '../cookies.js';
import { newCsrfToken } from '../plugins/csrf.js';

/**
 * The body of register, login and refresh (RFC 6749 §5.1 names). In cookie delivery the tokens go in
 * HTTP-only cookies and the body carries only what page script may see, plus the CSRF token. In
 * refresh_cookie delivery only the refresh token goes in a cookie: the access token is in the body.
 */
export function sendTokenPair(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  pair: TokenPair,
  delivery: 'body' | 'cookie' | 'refresh_cookie',
  status = 200,
): FastifyReply {
  reply.code(status).header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (delivery === 'refresh_cookie') {
    const csrfToken = newCsrfToken(deps.random);
    setRefreshCookie(request, reply, deps.config, {
      refreshToken: pair.refreshToken,
      refreshMaxAgeSeconds: deps.config.refreshTokenTtlSeconds,
      csrfToken,
    });
    return reply.send({
      user: pair.user,
      access_token: pair.accessToken,
      token_type: 'Bearer',
      expires_in: pair.expiresIn,
      csrf_token: csrfToken,
    });
  }
  if (delivery === 'cookie') {
    const csrfToken = newCsrfToken(deps.random);
    setTokenCookies(request, reply, deps.config, {
      accessToken: pair.accessToken,
      accessMaxAgeSeconds: pair.expiresIn,
      refreshToken: pair.refreshToken,
      refreshMaxAgeSeconds: deps.config.refreshTokenTtlSeconds,
      csrfToken,
    });
    return reply.send({
      user: pair.user,
      token_type: 'Bearer',
      expires_in: pair.expiresIn,
      csrf_token: csrfToken,
    });
  }
  return reply.send({
    user: pair.user,
    access_token: pair.accessToken,
    token_type: 'Bearer',
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
  });
}
