import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { EMAIL, PASSWORD, bearer, expectProblem, findCookie, registerUser } from './http-kit.js';

const LOOPBACK = { host: '127.0.0.1' };
const SECURE = { access: '__Host-tessera_at', refresh: '__Secure-tessera_rt', csrf: '__Host-tessera_csrf' };
const PLAIN = { access: 'tessera_at', refresh: 'tessera_rt', csrf: 'tessera_csrf' };

interface CookieSession {
  access: string;
  refresh: string;
  csrf: string;
  userId: string;
}

describe('cookie delivery and CSRF', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  afterEach(async () => {
    await app.close();
  });

  async function start(config: Partial<Config> = {}): Promise<void> {
    ({ app, deps } = await createTestApp({ config }));
    await registerUser(app);
  }

  function cookieLogin(
    headers: Record<string, string> = LOOPBACK,
    query = '?delivery=cookie',
  ): Promise<LightMyRequestResponse> {
    return app.inject({
      method: 'POST',
      url: `/auth/login${query}`,
      headers,
      payload: { email: EMAIL, password: PASSWORD },
    });
  }

  async function signIn(): Promise<CookieSession> {
    const response = await cookieLogin();
    expect(response.statusCode, response.body).toBe(200);
    const value = (name: string) => findCookie(response, name)!.value;
    return {
      access: value(SECURE.access),
      refresh: value(SECURE.refresh),
      csrf: value(SECURE.csrf),
      userId: response.json<{ user: { id: string } }>().user.id,
    };
  }

  /** A same-origin browser request carrying the cookies the browser would send to `url`. */
  function withCookies(
    session: CookieSession,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const cookies: Record<string, string> = { [SECURE.access]: session.access, [SECURE.csrf]: session.csrf };
    if (url.startsWith('/auth/refresh')) cookies[SECURE.refresh] = session.refresh;
    return app.inject({ method, url, headers: { ...LOOPBACK, ...headers }, cookies });
  }

  describe('login with ?delivery=cookie', () => {
    it('sets the tokens as HttpOnly cookies and keeps them out of the body', async () => {
      await start();
      const response = await cookieLogin();
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json<Record<string, unknown>>();
      expect(Object.keys(body).sort()).toEqual(['csrf_token', 'expires_in', 'token_type', 'user']);
      expect(response.body).not.toMatch(/access_token|refresh_token/);

      const access = findCookie(response, SECURE.access)!;
      const refresh = findCookie(response, SECURE.refresh)!;
      const csrf = findCookie(response, SECURE.csrf)!;
      expect(access).toMatchObject({
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
        maxAge: 900,
      });
      expect(access.value.split('.')).toHaveLength(3);
      expect(refresh).toMatchObject({
        path: '/auth/refresh',
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
      });
      expect(refresh.maxAge).toBe(deps.config.refreshTokenTtlSeconds);
      expect(csrf).toMatchObject({ path: '/', secure: true, sameSite: 'Strict' });
      expect(csrf.httpOnly).toBeUndefined(); // the page must read it to echo it in X-CSRF-Token
      expect(body.csrf_token).toBe(csrf.value);
      // __Host- cookies carry no Domain (RFC 6265bis §4.1.3.2).
      for (const cookie of [access, refresh, csrf]) expect(cookie.domain).toBeUndefined();
    });

    it('delivers cookies by default when config.cookieMode is on, and in the body when asked', async () => {
      await start({ cookieMode: true });
      const byDefault = await cookieLogin(LOOPBACK, '');
      expect(findCookie(byDefault, SECURE.access)).toBeDefined();
      expect(byDefault.json()).not.toHaveProperty('access_token');
      const inBody = await cookieLogin(LOOPBACK, '?delivery=body');
      expect(inBody.cookies).toEqual([]);
      expect(inBody.json()).toHaveProperty('access_token');
    });

    it('sets no cookies on a plain login', async () => {
      await start();
      const response = await cookieLogin(LOOPBACK, '');
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('uses the SameSite setting of the configuration', async () => {
      await start({ cookieSameSite: 'lax' });
      const response = await cookieLogin();
      for (const name of Object.values(SECURE)) expect(findCookie(response, name)?.sameSite).toBe('Lax');
    });

    it.each([['localhost'], ['127.0.0.1:3000'], ['[::1]:3000']])(
      'uses Secure, prefixed cookies on loopback (Host %s)',
      async (host) => {
        await start();
        const response = await cookieLogin({ host });
        expect(response.cookies.map((cookie) => cookie.name).sort()).toEqual(Object.values(SECURE).sort());
        expect(response.cookies.every((cookie) => cookie.secure === true)).toBe(true);
      },
    );

    it('uses un-prefixed cookies without Secure on plain HTTP to another host (browsers refuse prefixes there)', async () => {
      await start();
      const response = await cookieLogin({ host: 'auth.example.com' });
      expect(response.cookies.map((cookie) => cookie.name).sort()).toEqual(Object.values(PLAIN).sort());
      expect(response.cookies.some((cookie) => cookie.secure === true)).toBe(false);
      expect(findCookie(response, PLAIN.access)?.httpOnly).toBe(true);
    });

    it('follows cookieSecure: always / never', async () => {
      await start({ cookieSecure: 'always' });
      const always = await cookieLogin({ host: 'auth.example.com' });
      expect(findCookie(always, SECURE.access)?.secure).toBe(true);
      await app.close();
      await start({ cookieSecure: 'never' });
      const never = await cookieLogin();
      expect(findCookie(never, PLAIN.access)?.secure).toBeUndefined();
    });

    it.each([
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ])(
      'refuses a cookie login with %s (login CSRF): 403 csrf_rejected, no cookies',
      async (_label, headers) => {
        await start();
        const response = await cookieLogin({ ...LOOPBACK, ...headers });
        expectProblem(response, 403, 'csrf_rejected');
        expect(response.headers['set-cookie']).toBeUndefined();
      },
    );

    it('accepts a cookie login from its own origin and from a configured CORS origin', async () => {
      await start({ corsOrigins: ['https://app.example'] });
      expect(
        (await cookieLogin({ ...LOOPBACK, origin: 'http://127.0.0.1', 'sec-fetch-site': 'same-origin' }))
          .statusCode,
      ).toBe(200);
      expect((await cookieLogin({ ...LOOPBACK, origin: 'https://app.example' })).statusCode).toBe(200);
    });

    it('register with ?delivery=cookie sets the same cookies', async () => {
      ({ app, deps } = await createTestApp());
      const response = await app.inject({
        method: 'POST',
        url: '/auth/register?delivery=cookie',
        headers: LOOPBACK,
        payload: { email: EMAIL, password: PASSWORD },
      });
      expect(response.statusCode).toBe(201);
      expect(response.cookies.map((cookie) => cookie.name).sort()).toEqual(Object.values(SECURE).sort());
      expect(response.json()).not.toHaveProperty('refresh_token');
    });
  });

  describe('using the access cookie', () => {
    it('authenticates GET /api/secure and /auth/me without any CSRF header', async () => {
      await start();
      const session = await signIn();
      const secure = await withCookies(session, 'GET', '/api/secure');
      expect(secure.statusCode).toBe(200);
      expect(secure.json()).toMatchObject({ sub: session.userId });
      expect((await withCookies(session, 'GET', '/auth/me')).statusCode).toBe(200);
    });

    it('reads the un-prefixed cookie names too', async () => {
      await start();
      const session = await signIn();
      const response = await app.inject({
        method: 'GET',
        url: '/api/secure',
        cookies: { [PLAIN.access]: session.access },
      });
      expect(response.statusCode).toBe(200);
    });

    it('answers a bad access cookie with 401 invalid_token', async () => {
      await start();
      const response = await app.inject({
        method: 'GET',
        url: '/api/secure',
        cookies: { [SECURE.access]: 'abc' },
      });
      expectProblem(response, 401, 'token_malformed');
    });

    it('prefers the Authorization header over the cookie', async () => {
      await start();
      const session = await signIn();
      const response = await app.inject({
        method: 'GET',
        url: '/api/secure',
        headers: bearer('abc'),
        cookies: { [SECURE.access]: session.access },
      });
      expectProblem(response, 401, 'token_malformed');
    });
  });

  describe('POST /auth/logout with cookies', () => {
    it.each<[string, (session: CookieSession) => Record<string, string>]>([
      ['no X-CSRF-Token', () => ({})],
      ['a wrong X-CSRF-Token', () => ({ 'x-csrf-token': 'wrong' })],
      ['an X-CSRF-Token one character short', (s) => ({ 'x-csrf-token': s.csrf.slice(0, -1) })],
      ['the access token as X-CSRF-Token', (s) => ({ 'x-csrf-token': s.access })],
      [
        'the right token but Sec-Fetch-Site: cross-site',
        (s) => ({ 'x-csrf-token': s.csrf, 'sec-fetch-site': 'cross-site' }),
      ],
      [
        'the right token but a foreign Origin',
        (s) => ({ 'x-csrf-token': s.csrf, origin: 'https://evil.example' }),
      ],
      ['the right token but Origin null', (s) => ({ 'x-csrf-token': s.csrf, origin: 'null' })],
    ])('refuses %s with 403 csrf_rejected and logs nobody out', async (_label, headers) => {
      await start();
      const session = await signIn();
      const response = await withCookies(session, 'POST', '/auth/logout', headers(session));
      expectProblem(response, 403, 'csrf_rejected');
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await deps.stores.sessions.listActiveForUser(session.userId, deps.clock.now())).toHaveLength(2);
    });

    it('refuses a missing CSRF cookie even with a header', async () => {
      await start();
      const session = await signIn();
      const response = await app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: { ...LOOPBACK, 'x-csrf-token': session.csrf },
        cookies: { [SECURE.access]: session.access },
      });
      expectProblem(response, 403, 'csrf_rejected');
    });

    it('with the right token answers 204, ends the session and clears all three cookies', async () => {
      await start();
      const session = await signIn();
      const response = await withCookies(session, 'POST', '/auth/logout', {
        'x-csrf-token': session.csrf,
        origin: 'http://127.0.0.1',
        'sec-fetch-site': 'same-origin',
      });
      expect(response.statusCode).toBe(204);
      const cleared = response.cookies;
      expect(cleared.map((cookie) => cookie.name).sort()).toEqual(Object.values(SECURE).sort());
      for (const cookie of cleared) {
        expect(cookie.value).toBe('');
        expect(cookie.expires!.getTime()).toBeLessThanOrEqual(0);
      }
      // Cleared with the path they were set with, or the browser keeps the refresh cookie.
      expect(findCookie(response, SECURE.refresh)?.path).toBe('/auth/refresh');
      expect(findCookie(response, SECURE.access)?.path).toBe('/');
      const left = await deps.stores.sessions.listActiveForUser(session.userId, deps.clock.now());
      expect(left).toHaveLength(1); // only the session register opened
    });

    it('answers csrf_rejected with a Bearer challenge, error="invalid_request" (decision 0022)', async () => {
      await start();
      const session = await signIn();
      const response = await withCookies(session, 'POST', '/auth/logout');
      expectProblem(response, 403, 'csrf_rejected', { bearerError: 'invalid_request' });
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer realm="tessera", error="invalid_request", error_description="The X-CSRF-Token header/,
      );
    });

    it('reads the cookie when the Authorization header is of another scheme (a Basic-auth proxy)', async () => {
      await start();
      const session = await signIn();
      const basic = { authorization: 'Basic cHJveHk6cGFzcw==' };
      const me = await withCookies(session, 'GET', '/auth/me', basic);
      expect(me.statusCode, me.body).toBe(200);
      // Still a cookie credential: a state change needs the CSRF proof.
      expectProblem(await withCookies(session, 'POST', '/auth/logout', basic), 403, 'csrf_rejected');
    });

    it('a Bearer logout needs no CSRF token and leaves cookies alone', async () => {
      await start();
      const session = await signIn();
      const response = await app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: bearer(session.access),
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('POST /auth/refresh with the refresh cookie', () => {
    it('refuses it without the CSRF token', async () => {
      await start();
      const session = await signIn();
      expectProblem(await withCookies(session, 'POST', '/auth/refresh'), 403, 'csrf_rejected');
      expectProblem(
        await withCookies(session, 'POST', '/auth/refresh', {
          'x-csrf-token': session.csrf,
          'sec-fetch-site': 'cross-site',
        }),
        403,
        'csrf_rejected',
      );
      // The refused attempts did not consume the token.
      expect(
        (await withCookies(session, 'POST', '/auth/refresh', { 'x-csrf-token': session.csrf })).statusCode,
      ).toBe(200);
    });

    it('rotates through cookies: new cookies, no tokens in the body', async () => {
      await start();
      const session = await signIn();
      const response = await withCookies(session, 'POST', '/auth/refresh', { 'x-csrf-token': session.csrf });
      expect(response.statusCode).toBe(200);
      expect(response.json()).not.toHaveProperty('refresh_token');
      expect(response.json()).not.toHaveProperty('access_token');
      const refresh = findCookie(response, SECURE.refresh)!;
      expect(refresh.value).not.toBe(session.refresh);
      expect(refresh).toMatchObject({ path: '/auth/refresh', httpOnly: true, secure: true });
      const csrf = findCookie(response, SECURE.csrf)!;
      expect(response.json<{ csrf_token: string }>().csrf_token).toBe(csrf.value);
      const next: CookieSession = {
        ...session,
        access: findCookie(response, SECURE.access)!.value,
        refresh: refresh.value,
        csrf: csrf.value,
      };
      expect((await withCookies(next, 'GET', '/api/secure')).statusCode).toBe(200);
    });

    it('a refresh_token in the body takes precedence and needs no CSRF token', async () => {
      await start();
      const session = await signIn();
      const response = await app.inject({
        method: 'POST',
        url: '/auth/refresh',
        headers: LOOPBACK,
        payload: { refresh_token: session.refresh },
        cookies: { [SECURE.refresh]: 'ignored' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toHaveProperty('refresh_token');
    });
  });

  describe('DELETE /auth/sessions/:id with cookies', () => {
    it('needs the CSRF token', async () => {
      await start();
      const session = await signIn();
      const [other] = (await deps.stores.sessions.listActiveForUser(session.userId, deps.clock.now())).filter(
        (record) =>
          record.id !== JSON.parse(Buffer.from(session.access.split('.')[1]!, 'base64url').toString()).sid,
      );
      const url = `/auth/sessions/${other!.id}`;
      expectProblem(await withCookies(session, 'DELETE', url), 403, 'csrf_rejected');
      expect((await withCookies(session, 'DELETE', url, { 'x-csrf-token': session.csrf })).statusCode).toBe(
        204,
      );
    });
  });
});
