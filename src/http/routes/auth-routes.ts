import type { FastifyInstance } from 'fastify';
import type { LoginMode } from '../../config/types.js';
import type { Deps } from '../../flows/deps.js';
import { normalizeEmail } from '../../flows/email.js';
import { FlowError } from '../../flows/flow-error.js';
import { login, loginWithSessionToken } from '../../flows/login.js';
import { logout, type LogoutScope } from '../../flows/logout.js';
import { refresh } from '../../flows/refresh.js';
import { register, registerWithSessionToken } from '../../flows/register.js';
import { clearSessionCookies, clearTokenCookies, readCookie } from '../cookies.js';
import { AUTH_REQUIRED } from '../openapi.js';
import { principalOf, requireAuth } from '../plugins/authenticate.js';
import { assertCsrfSafe, assertSameOrigin } from '../plugins/csrf.js';
import { enforceRateLimit, ipSubject } from '../plugins/rate-limit.js';
import { requestContext } from '../request-context.js';
import {
  emptyQuery,
  loginBody,
  logoutBody,
  noContent,
  refreshBody,
  registerBody,
  signInQuery,
  tokenResponse,
} from '../schemas.js';
import { sendSessionToken } from './session-token-response.js';
import { sendTokenPair } from './token-response.js';

type Delivery = 'body' | 'cookie';
type SignInQuery = { delivery?: Delivery; mode?: LoginMode };

/** /auth/register, /auth/login, /auth/refresh, /auth/logout: thin handlers over the flows. */
export function authRoutes(deps: Deps) {
  const { config, stores } = deps;
  const deliveryOf = (query: SignInQuery): Delivery =>
    query.delivery ?? (config.cookieMode ? 'cookie' : 'body');

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post<{
      Body: { email: string; password: string; name?: string };
      Querystring: SignInQuery;
    }>(
      '/auth/register',
      { schema: { body: registerBody, querystring: signInQuery, response: { 201: tokenResponse } } },
      async (request, reply) => {
        await enforceRateLimit(
          stores.ephemeral,
          'register-ip',
          ipSubject(request),
          config.rateLimits.registerPerIp,
        );
        const delivery = deliveryOf(request.query);
        if (delivery === 'cookie') assertSameOrigin(request, config);
        const context = requestContext(request);
        // Registration signs in with a JWT pair unless session mode is asked for explicitly.
        if (request.query.mode === 'session') {
          const grant = await registerWithSessionToken(deps, request.body, context);
          return sendSessionToken(deps, request, reply, grant, delivery, 201);
        }
        const pair = await register(deps, request.body, context);
        return sendTokenPair(deps, request, reply, pair, delivery, 201);
      },
    );

    app.post<{ Body: { email: string; password: string }; Querystring: SignInQuery }>(
      '/auth/login',
      { schema: { body: loginBody, querystring: signInQuery, response: { 200: tokenResponse } } },
      async (request, reply) => {
        await enforceRateLimit(
          stores.ephemeral,
          'login-ip',
          ipSubject(request),
          config.rateLimits.loginPerIp,
        );
        await enforceRateLimit(
          stores.ephemeral,
          'login-account',
          normalizeEmail(request.body.email),
          config.rateLimits.loginPerAccount,
        );
        const delivery = deliveryOf(request.query);
        if (delivery === 'cookie') assertSameOrigin(request, config); // login CSRF
        const context = requestContext(request);
        // A session cookie sent along is never looked at: every login opens a new session.
        if ((request.query.mode ?? config.defaultLoginMode) === 'session') {
          const grant = await loginWithSessionToken(deps, request.body, context);
          return sendSessionToken(deps, request, reply, grant, delivery);
        }
        const pair = await login(deps, request.body, context);
        return sendTokenPair(deps, request, reply, pair, delivery);
      },
    );

    app.post<{ Body: { refresh_token?: string } | null }>(
      '/auth/refresh',
      { schema: { body: refreshBody, querystring: emptyQuery, response: { 200: tokenResponse } } },
      async (request, reply) => {
        await enforceRateLimit(
          stores.ephemeral,
          'refresh-ip',
          ipSubject(request),
          config.rateLimits.refreshPerIp,
        );
        const fromBody = request.body?.refresh_token;
        const fromCookie = fromBody === undefined ? readCookie(request, 'refresh') : undefined;
        if (fromCookie !== undefined) assertCsrfSafe(request, config);
        const presented = fromBody ?? fromCookie;
        if (presented === undefined) throw new FlowError('refresh_token_invalid', 'Send a refresh_token.');
        const pair = await refresh(deps, presented, requestContext(request));
        return sendTokenPair(deps, request, reply, pair, fromCookie !== undefined ? 'cookie' : 'body');
      },
    );

    app.post<{ Body: { scope?: LogoutScope } | null }>(
      '/auth/logout',
      {
        config: AUTH_REQUIRED,
        schema: { body: logoutBody, querystring: emptyQuery, response: { 204: noContent } },
        preHandler: requireAuth(deps),
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const scope = request.body?.scope ?? 'local';
        await logout(deps, principal, scope, requestContext(request));
        // The browser's cookies go only when its own session ended (`others` keeps it signed in).
        if (request.credentialSource === 'cookie' && scope !== 'others') {
          if (principal.kind === 'session') clearSessionCookies(request, reply, config);
          else clearTokenCookies(request, reply, config);
        }
        return reply.code(204).header('cache-control', 'no-store').send();
      },
    );
  };
}
