/** Helpers of the session-mode HTTP tests: sign-in with `?mode=session`, over the body or cookies. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { EMAIL, PASSWORD, findCookie } from './http-kit.js';

export const SESSION_TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
export const LOOPBACK = { host: '127.0.0.1' };
export const SECURE_COOKIES = {
  session: '__Host-tessera_session',
  csrf: '__Host-tessera_csrf',
  access: '__Host-tessera_at',
  refresh: '__Secure-tessera_rt',
};

export interface SessionBody {
  user: { id: string; email: string; name: string | null; roles: string[]; created_at: string };
  session_token: string;
  token_type: string;
  expires_in: number;
}

/** A browser's view of a cookie sign-in: the session and CSRF cookies. */
export interface CookieSession {
  session: string;
  csrf: string;
}

export function postSessionLogin(
  app: FastifyInstance,
  options: { query?: string; email?: string; password?: string; headers?: Record<string, string> } = {},
  cookies: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/auth/login${options.query ?? '?mode=session'}`,
    headers: options.headers ?? LOOPBACK,
    cookies,
    payload: { email: options.email ?? EMAIL, password: options.password ?? PASSWORD },
  });
}

/** Signs in in session mode (body delivery) and returns the session token. */
export async function sessionToken(
  app: FastifyInstance,
  email = EMAIL,
  password = PASSWORD,
): Promise<string> {
  const response = await postSessionLogin(app, { email, password });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<SessionBody>().session_token;
}

/** Signs in in session mode with cookie delivery and returns the cookies a browser would keep. */
export async function cookieSession(app: FastifyInstance): Promise<CookieSession> {
  const response = await postSessionLogin(app, { query: '?mode=session&delivery=cookie' });
  expect(response.statusCode, response.body).toBe(200);
  return {
    session: findCookie(response, SECURE_COOKIES.session)!.value,
    csrf: findCookie(response, SECURE_COOKIES.csrf)!.value,
  };
}

/** A same-origin browser request carrying the session and CSRF cookies. */
export function withSessionCookies(
  app: FastifyInstance,
  session: CookieSession,
  request: {
    method: 'GET' | 'POST' | 'DELETE';
    url: string;
    headers?: Record<string, string>;
    payload?: object;
  },
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: request.method,
    url: request.url,
    headers: { ...LOOPBACK, ...request.headers },
    cookies: { [SECURE_COOKIES.session]: session.session, [SECURE_COOKIES.csrf]: session.csrf },
    ...(request.payload ? { payload: request.payload } : {}),
  });
}

export function getWith(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string>,
  cookies: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers, cookies });
}
