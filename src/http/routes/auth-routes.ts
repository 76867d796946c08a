import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UserView } from '../../wire/user-view.js';
import type { LoginMode } from '../../config/types.js';
import type { Deps } from '../../flows/deps.js';
import { normalizeEmail } from '../../flows/auth/email-address.js';
import { FlowError } from '../../flows/flow-error.js';
import { login, loginWithSessionToken } from '../../flows/auth/login.js';
import { logout, type LogoutScope } from '../../flows/sessions/logout.js';
import { refresh } from '../../flows/sessions/refresh.js';
import { registerAccount } from '../../flows/auth/register.js';
import { userOnlyResponse } from '../recovery-schemas.js';
import { clearRefreshCookie, clearSessionCookies, clearTokenCookies, readCookie } from '../cookies.js';
import { HttpError } from '../http-error.js';
import { AUTH_REQUIRED } from '../openapi.js';
import { SENSITIVE_ACCOUNT_CHANGE, type RouteAuthStrength } from '../plugins/auth-strength.js';
import { principalOf, requireAuth } from '../plugins/authenticate.js';
import { assertCsrfSafe, assertSameOrigin } from '../plugins/csrf.js';
import { ipSubject, type RouteRateLimit } from '../plugins/rate-limit.js';
import { requestContext } from '../request-context.js';
import {
  loginBody,
  logoutBody,
  logoutQuery,
  noContent,
  refreshBody,
  refreshQuery,
  registerBody,
  signInQuery,
  tokenResponse,
} from '../schemas.js';
import { sendSessionToken } from './session-token-response.js';
import { sendTokenPair } from './token-response.js';

// Applied by the rate-limit hook after validation (plugins/rate-limit.ts), in this order.
const REGISTER_LIMITS: readonly RouteRateLimit[] = [{ rule: 'registerPerIp', subject: ipSubject }];
const LOGIN_LIMITS: readonly RouteRateLimit[] = [
  { rule: 'loginPerIp', subject: ipSubject },
  {
    rule: 'loginPerAccount',
    subject: (request) => normalizeEmail((request.body as { email: string }).email),
  },
];
const REFRESH_LIMITS: readonly RouteRateLimit[] = [{ rule: 'refreshPerIp', subject: ipSubject }];

/** Signing out other devices (`others`, `global`) is sensitive; signing out this one is not. */
const LOGOUT_OTHERS: RouteAuthStrength = {
  ...SENSITIVE_ACCOUNT_CHANGE,
  appliesTo: (request) => ((request.body as { scope?: LogoutScope } | null)?.scope ?? 'local') !== 'local',
};

/** body: tokens in the body. cookie: all in HttpOnly cookies. refresh_cookie: only the refresh token. */
type Delivery = 'body' | 'cookie' | 'refresh_cookie';
type SignInQuery = { delivery?: Delivery; mode?: LoginMode };

/** Session tokens have no refresh token, so there is nothing for a refresh cookie to hold. */
function sessionDelivery(delivery: Delivery): 'body' | 'cookie' {
  if (delivery === 'refresh_cookie') {
    throw new HttpError('invalid_request', 'delivery=refresh_cookie applies to JWT sign-in only.');
  }
  return delivery;
}

/**
 * How /auth/refresh answers: a refresh token from the body goes back in the body; one from the cookie
 * goes back in cookies (all, or just the refresh token), never in a body that page script could read.
 */
function refreshDelivery(asked: Delivery | undefined, fromCookie: boolean): Delivery {
  if (!fromCookie) {
    if (asked === undefined || asked === 'body') return 'body';
    throw new HttpError('invalid_request', `delivery=${asked} needs the refresh token in its cookie.`);
  }
  if (asked === 'body') {
    throw new HttpError('invalid_request', 'A refresh token sent by cookie is never answered in the body.');
  }
  return asked ?? 'cookie';
}

/** A registration that opened no session: the user, to be verified by the link mailed to them. */
function sendPending(reply: FastifyReply, user: UserView): FastifyReply {
  return reply.code(202).header('cache-control', 'no-store').send({ user });
}

/** /auth/register, /auth/login, /auth/refresh, /auth/logout: thin handlers over the flows. */
export function authRoutes(deps: Deps) {
  const { config } = deps;
  const deliveryOf = (query: SignInQuery): Delivery =>
    query.delivery ?? (config.cookieMode ? 'cookie' : 'body');

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post<{
      Body: { email: string; password: string; name?: string };
      Querystring: SignInQuery;
    }>(
      '/auth/register',
      {
        config: { problems: [403, 409], setsCookies: true, rateLimits: REGISTER_LIMITS },
        schema: {
          body: registerBody,
          querystring: signInQuery,
          // 202: TESSERA_EMAIL_VERIFICATION=required, the account waits for its address (decision 0043).
          response: { 201: tokenResponse, 202: userOnlyResponse },
        },
      },
      async (request, reply) => {
        const delivery = deliveryOf(request.query);
        if (delivery !== 'body') assertSameOrigin(request, config);
        const context = requestContext(request);
        // Registration signs in with a JWT pair unless session mode is asked for explicitly.
        if (request.query.mode === 'session') {
          const sessionMode = sessionDelivery(delivery);
          const done = await registerAccount(deps, request.body, context, { kind: 'stateful' });
          if (done.kind === 'verification_required') return sendPending(reply, done.user);
          return sendSessionToken(deps, request, reply, done.opened, sessionMode, 201);
        }
        const done = await registerAccount(deps, request.body, context, { kind: 'jwt' });
        if (done.kind === 'verification_required') return sendPending(reply, done.user);
        return sendTokenPair(deps, request, reply, done.opened, delivery, 201);
      },
    );

    app.post<{ Body: { email: string; password: string }; Querystring: SignInQuery }>(
      '/auth/login',
      {
        // 401 includes mfa_required: the password was right and a second factor is due (mfa-routes.ts).
        config: { problems: [401, 403], setsCookies: true, rateLimits: LOGIN_LIMITS },
        schema: { body: loginBody, querystring: signInQuery, response: { 200: tokenResponse } },
      },
      async (request, reply) => {
        const delivery = deliveryOf(request.query);
        if (delivery !== 'body') assertSameOrigin(request, config); // login CSRF
        const context = requestContext(request);
        // A session cookie sent along is never looked at: every login opens a new session.
        if ((request.query.mode ?? config.defaultLoginMode) === 'session') {
          const sessionMode = sessionDelivery(delivery);
          const grant = await loginWithSessionToken(deps, request.body, context, sessionMode);
          return sendSessionToken(deps, request, reply, grant, sessionMode);
        }
        const pair = await login(deps, request.body, context, delivery);
        return sendTokenPair(deps, request, reply, pair, delivery);
      },
    );

    app.post<{ Body: { refresh_token?: string } | null; Querystring: { delivery?: Delivery } }>(
      '/auth/refresh',
      {
        config: { problems: [401, 403], setsCookies: true, rateLimits: REFRESH_LIMITS },
        schema: { body: refreshBody, querystring: refreshQuery, response: { 200: tokenResponse } },
      },
      async (request, reply) => {
        const fromBody = request.body?.refresh_token;
        const fromCookie = fromBody === undefined ? readCookie(request, 'refresh') : undefined;
        if (fromCookie !== undefined) assertCsrfSafe(request, config);
        const presented = fromBody ?? fromCookie;
        if (presented === undefined) throw new FlowError('refresh_token_invalid', 'Send a refresh_token.');
        const delivery = refreshDelivery(request.query.delivery, fromCookie !== undefined);
        const pair = await refresh(deps, presented, requestContext(request));
        return sendTokenPair(deps, request, reply, pair, delivery);
      },
    );

    app.post<{ Body: { scope?: LogoutScope } | null; Querystring: { delivery?: 'refresh_cookie' } }>(
      '/auth/logout',
      {
        config: { ...AUTH_REQUIRED, setsCookies: true, authStrength: LOGOUT_OTHERS },
        schema: { body: logoutBody, querystring: logoutQuery, response: { 204: noContent } },
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
        } else if (request.query.delivery === 'refresh_cookie' && scope !== 'others') {
          // A Bearer client whose refresh token lives in a path-bound cookie it cannot see or send here.
          clearRefreshCookie(request, reply, config);
        }
        return reply.code(204).header('cache-control', 'no-store').send();
      },
    );
  };
}
