import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { normalizeEmail } from '../../flows/email.js';
import { FlowError } from '../../flows/flow-error.js';
import { login } from '../../flows/login.js';
import { logout, type LogoutScope } from '../../flows/logout.js';
import { refresh } from '../../flows/refresh.js';
import { register } from '../../flows/register.js';
import { clearTokenCookies, readCookie } from '../cookies.js';
import { principalOf, requireAuth } from '../plugins/authenticate.js';
import { assertCsrfSafe, assertSameOrigin } from '../plugins/csrf.js';
import { enforceRateLimit, ipSubject } from '../plugins/rate-limit.js';
import { requestContext } from '../request-context.js';
import {
  deliveryQuery,
  emptyQuery,
  loginBody,
  logoutBody,
  refreshBody,
  registerBody,
  tokenResponse,
} from '../schemas.js';
import { sendTokenPair } from './token-response.js';

type Delivery = 'body' | 'cookie';

/** /auth/register, /auth/login, /auth/refresh, /auth/logout: thin handlers over the flows. */
export function authRoutes(deps: Deps) {
  const { config, stores } = deps;
  const deliveryOf = (query: { delivery?: Delivery }): Delivery =>
    query.delivery ?? (config.cookieMode ? 'cookie' : 'body');

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post<{
      Body: { email: string; password: string; name?: string };
      Querystring: { delivery?: Delivery };
    }>(
      '/auth/register',
      { schema: { body: registerBody, querystring: deliveryQuery, response: { 201: tokenResponse } } },
      async (request, reply) => {
        await enforceRateLimit(
          stores.ephemeral,
          'register-ip',
          ipSubject(request),
          config.rateLimits.registerPerIp,
        );
        const delivery = deliveryOf(request.query);
        if (delivery === 'cookie') assertSameOrigin(request, config);
        const pair = await register(deps, request.body, requestContext(request));
        return sendTokenPair(deps, request, reply, pair, delivery, 201);
      },
    );

    app.post<{ Body: { email: string; password: string }; Querystring: { delivery?: Delivery } }>(
      '/auth/login',
      { schema: { body: loginBody, querystring: deliveryQuery, response: { 200: tokenResponse } } },
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
        const pair = await login(deps, request.body, requestContext(request));
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
      { schema: { body: logoutBody, querystring: emptyQuery }, preHandler: requireAuth(deps) },
      async (request, reply) => {
        await logout(deps, principalOf(request), request.body?.scope ?? 'local', requestContext(request));
        if (request.credentialSource === 'cookie') clearTokenCookies(request, reply, config);
        return reply.code(204).header('cache-control', 'no-store').send();
      },
    );
  };
}
