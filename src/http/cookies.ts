import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/types.js';

/**
 * Cookie names and attributes. When the cookie is Secure, the access, session and CSRF cookies take the
 * `__Host-` prefix (Secure, Path=/, no Domain: the browser pins them to this exact origin) and the
 * refresh cookie the `__Secure-` prefix (it needs Path=/auth/refresh, which __Host- forbids). Browsers
 * refuse prefixed cookies without Secure, so plain-HTTP deployments get the bare names.
 */
export interface CookieNames {
  access: string;
  refresh: string;
  csrf: string;
  /** Session mode: the opaque session token. */
  session: string;
}

export const REFRESH_COOKIE_PATH = '/auth/refresh';

/**
 * The refresh cookie goes only to the refresh route: /auth/refresh, or under the prefix a host mounted
 * Tessera at (`request.server` is the route's own encapsulation context, whose prefix that is).
 */
export function refreshCookiePath(request: FastifyRequest): string {
  return `${request.server.prefix}${REFRESH_COOKIE_PATH}`;
}
const SECURE_NAMES: CookieNames = {
  access: '__Host-tessera_at',
  refresh: '__Secure-tessera_rt',
  csrf: '__Host-tessera_csrf',
  session: '__Host-tessera_session',
};
const PLAIN_NAMES: CookieNames = {
  access: 'tessera_at',
  refresh: 'tessera_rt',
  csrf: 'tessera_csrf',
  session: 'tessera_session',
};
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Secure cookies over TLS, and on loopback, which browsers treat as a secure context. */
export function useSecureCookies(request: FastifyRequest, config: Config): boolean {
  if (config.cookieSecure !== 'auto') return config.cookieSecure === 'always';
  return request.protocol === 'https' || LOOPBACK_HOSTS.has(request.hostname.replace(/:\d+$/, ''));
}

export function cookieNames(secure: boolean): CookieNames {
  return secure ? SECURE_NAMES : PLAIN_NAMES;
}

/** Reads a cookie under either naming, preferring the prefixed (stronger) one. */
export function readCookie(request: FastifyRequest, which: keyof CookieNames): string | undefined {
  const cookies = request.cookies;
  return cookies[SECURE_NAMES[which]] ?? cookies[PLAIN_NAMES[which]];
}

/** The names and shared attributes of this request's cookies (Secure or not decides both). */
function cookieContext(request: FastifyRequest, config: Config) {
  const secure = useSecureCookies(request, config);
  return {
    names: cookieNames(secure),
    base: { secure, sameSite: config.cookieSameSite, path: '/' } as const,
    refreshPath: refreshCookiePath(request),
  };
}

type CookieContext = ReturnType<typeof cookieContext>;

/** The refresh cookie (path-bound to /auth/refresh) and the CSRF cookie that guards its use. */
function setRefreshAndCsrfCookies(
  reply: FastifyReply,
  { names, base, refreshPath }: CookieContext,
  tokens: { refreshToken: string; refreshMaxAgeSeconds: number; csrfToken: string },
): void {
  reply.setCookie(names.refresh, tokens.refreshToken, {
    ...base,
    httpOnly: true,
    path: refreshPath,
    maxAge: tokens.refreshMaxAgeSeconds,
  });
  // Readable by the page on purpose: the double-submit CSRF token is echoed in X-CSRF-Token.
  reply.setCookie(names.csrf, tokens.csrfToken, {
    ...base,
    httpOnly: false,
    maxAge: tokens.refreshMaxAgeSeconds,
  });
}

export function setTokenCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  tokens: {
    accessToken: string;
    accessMaxAgeSeconds: number;
    refreshToken: string;
    refreshMaxAgeSeconds: number;
    csrfToken: string;
  },
): void {
  const context = cookieContext(request, config);
  const { names, base } = context;
  reply.setCookie(names.access, tokens.accessToken, {
    ...base,
    httpOnly: true,
    maxAge: tokens.accessMaxAgeSeconds,
  });
  setRefreshAndCsrfCookies(reply, context, tokens);
  // A session cookie from an earlier session-mode sign-in would win over the new access cookie.
  if (readCookie(request, 'session') !== undefined) reply.clearCookie(names.session, base);
}

/**
 * `?delivery=refresh_cookie` (the SDK's memory strategy): only the refresh token goes in an HttpOnly
 * cookie, with the CSRF cookie that /auth/refresh then requires; the access token goes in the body and
 * lives in page memory. Access and session cookies of an earlier cookie sign-in are cleared, so the
 * browser holds exactly one credential.
 */
export function setRefreshCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  tokens: { refreshToken: string; refreshMaxAgeSeconds: number; csrfToken: string },
): void {
  const context = cookieContext(request, config);
  const { names, base } = context;
  setRefreshAndCsrfCookies(reply, context, tokens);
  if (readCookie(request, 'access') !== undefined) reply.clearCookie(names.access, base);
  if (readCookie(request, 'session') !== undefined) reply.clearCookie(names.session, base);
}

/** Sign-out of a `refresh_cookie` client: the refresh and CSRF cookies (the access token was in memory). */
export function clearRefreshCookie(request: FastifyRequest, reply: FastifyReply, config: Config): void {
  const { names, base, refreshPath } = cookieContext(request, config);
  reply.clearCookie(names.refresh, { ...base, path: refreshPath });
  reply.clearCookie(names.csrf, base);
}

/**
 * Session mode: the session token in an HttpOnly cookie (plus the CSRF cookie, as in JWT cookie mode).
 * The access and refresh cookies of an earlier JWT sign-in are cleared, so the browser keeps exactly
 * one credential, the new one (the refresh cookie is path-bound and never seen here, so it is always
 * cleared).
 */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  cookies: { sessionToken: string; maxAgeSeconds: number; csrfToken: string },
): void {
  const { names, base, refreshPath } = cookieContext(request, config);
  reply.setCookie(names.session, cookies.sessionToken, {
    ...base,
    httpOnly: true,
    maxAge: cookies.maxAgeSeconds,
  });
  reply.setCookie(names.csrf, cookies.csrfToken, { ...base, httpOnly: false, maxAge: cookies.maxAgeSeconds });
  reply.clearCookie(names.access, base);
  reply.clearCookie(names.refresh, { ...base, path: refreshPath });
}

/** Session mode sign-out: the session and CSRF cookies. */
export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply, config: Config): void {
  const { names, base } = cookieContext(request, config);
  reply.clearCookie(names.session, base);
  reply.clearCookie(names.csrf, base);
}

export function clearTokenCookies(request: FastifyRequest, reply: FastifyReply, config: Config): void {
  const { names, base, refreshPath } = cookieContext(request, config);
  reply.clearCookie(names.access, base);
  reply.clearCookie(names.refresh, { ...base, path: refreshPath });
  reply.clearCookie(names.csrf, base);
}
