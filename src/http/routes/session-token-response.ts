import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import type { SessionTokenGrant } from '../../flows/sessions/open-stateful-session.js';
import { setSessionCookies } from '../cookies.js';
import { newCsrfToken } from '../plugins/csrf.js';

/**
 * The body of register and login in session mode: `{user, session_token, token_type, expires_in}`,
 * no refresh token (the session slides on use instead). In cookie delivery the token goes in the
 * HttpOnly session cookie, alive until the absolute timeout (the server enforces the idle one), and
 * the body carries the CSRF token instead.
 */
export function sendSessionToken(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  grant: SessionTokenGrant,
  delivery: 'body' | 'cookie',
  status = 200,
): FastifyReply {
  reply.code(status).header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (delivery === 'cookie') {
    const csrfToken = newCsrfToken(deps.random);
    setSessionCookies(request, reply, deps.config, {
      sessionToken: grant.sessionToken,
      maxAgeSeconds: deps.config.sessionAbsoluteTimeoutSeconds,
      csrfToken,
    });
    return reply.send({
      user: grant.user,
      token_type: 'Bearer',
      expires_in: grant.expiresIn,
      csrf_token: csrfToken,
    });
  }
  return reply.send({
    user: grant.user,
    session_token: grant.sessionToken,
    token_type: 'Bearer',
    expires_in: grant.expiresIn,
  });
}
