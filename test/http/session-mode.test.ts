import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { setUserRoles } from '../../src/flows/admin/roles.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import {
  EMAIL,
  PASSWORD,
  bearer,
  expectProblem,
  findCookie,
  postLogin,
  postRefresh,
  registerUser,
  type TokenBody,
} from './http-kit.js';
import {
  LOOPBACK,
  SECURE_COOKIES,
  SESSION_TOKEN_SHAPE,
  cookieSession,
  getWith,
  postSessionLogin,
  sessionToken,
  withSessionCookies,
  type SessionBody,
} from './session-kit.js';

const IDLE = 1800;
const ABSOLUTE = 3 * 3600;

describe('session mode over HTTP', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let registered: TokenBody;

  afterEach(async () => {
    await app.close();
  });

  async function start(config: Partial<Config> = {}): Promise<void> {
    ({ app, deps } = await createTestApp({
      config: { sessionIdleTimeoutSeconds: IDLE, sessionAbsoluteTimeoutSeconds: ABSOLUTE, ...config },
    }));
    registered = await registerUser(app);
  }
  const secure = (token: string) => getWith(app, '/api/secure', bearer(token));
  const withSessionCookie = (url: string, value: string, name = SECURE_COOKIES.session) =>
    getWith(app, url, LOOPBACK, { [name]: value });

  describe('POST /auth/login?mode=session', () => {
    it('answers {user, session_token, token_type, expires_in}: no refresh token, no cookies', async () => {
      await start();
      const response = await postSessionLogin(app);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['set-cookie']).toBeUndefined();
      const body = response.json<SessionBody>();
      expect(Object.keys(body).sort()).toEqual(['expires_in', 'session_token', 'token_type', 'user']);
      expect(body).toMatchObject({ user: registered.user, token_type: 'Bearer', expires_in: IDLE });
      expect(body.session_token).toMatch(SESSION_TOKEN_SHAPE);
    });

    it('the token opens /api/secure and /auth/me as a Bearer token', async () => {
      await start();
      const token = await sessionToken(app);
      const resource = await secure(token);
      expect(resource.statusCode, resource.body).toBe(200);
      expect(resource.json()).toEqual({
        message: 'You reached a protected resource.',
        sub: registered.user.id,
      });
      const me = await getWith(app, '/auth/me', bearer(token));
      expect(me.json()).toEqual({ user: registered.user });
    });

    it('?mode=jwt forces a JWT pair, and an unknown mode is refused', async () => {
      await start({ defaultLoginMode: 'session' });
      const jwt = await postSessionLogin(app, { query: '?mode=jwt' });
      expect(Object.keys(jwt.json()).sort()).toEqual([
        'access_token',
        'expires_in',
        'refresh_token',
        'token_type',
        'user',
      ]);
      expectProblem(await postSessionLogin(app, { query: '?mode=stateful' }), 400, 'invalid_request');
    });

    it('with defaultLoginMode "session" a plain login opens a session; register stays JWT unless asked', async () => {
      await start({ defaultLoginMode: 'session' });
      const plain = await postLogin(app);
      expect(plain.json<SessionBody>().session_token).toMatch(SESSION_TOKEN_SHAPE);
      expect(plain.json()).not.toHaveProperty('access_token');
      const jwtRegistration = await registerUser(app, 'bob@example.com');
      expect(jwtRegistration.access_token.split('.')).toHaveLength(3);
      const sessionRegistration = await app.inject({
        method: 'POST',
        url: '/auth/register?mode=session',
        payload: { email: 'carol@example.com', password: PASSWORD },
      });
      expect(sessionRegistration.statusCode).toBe(201);
      const body = sessionRegistration.json<SessionBody>();
      expect(Object.keys(body).sort()).toEqual(['expires_in', 'session_token', 'token_type', 'user']);
      expect((await secure(body.session_token)).json()).toMatchObject({ sub: body.user.id });
    });

    it('a wrong password → 401 invalid_credentials, and no session is opened', async () => {
      await start();
      const response = await postSessionLogin(app, { password: 'wrong password' });
      expectProblem(response, 401, 'invalid_credentials');
      expect(await deps.stores.sessions.listActiveForUser(registered.user.id, deps.clock.now())).toHaveLength(
        1,
      );
    });
  });

  describe('cookie delivery', () => {
    it('sets the HttpOnly session cookie and the CSRF cookie, clears JWT cookies, keeps the token out of the body', async () => {
      await start();
      const response = await postSessionLogin(app, { query: '?mode=session&delivery=cookie' });
      expect(response.statusCode).toBe(200);
      const body = response.json<Record<string, unknown>>();
      expect(Object.keys(body).sort()).toEqual(['csrf_token', 'expires_in', 'token_type', 'user']);
      const session = findCookie(response, SECURE_COOKIES.session)!;
      expect(session).toMatchObject({
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
        maxAge: ABSOLUTE,
      });
      expect(session.value).toMatch(SESSION_TOKEN_SHAPE);
      expect(session.domain).toBeUndefined();
      expect(response.body).not.toContain(session.value);
      const csrf = findCookie(response, SECURE_COOKIES.csrf)!;
      expect(csrf.httpOnly).toBeUndefined();
      expect(body.csrf_token).toBe(csrf.value);
      for (const name of [SECURE_COOKIES.access, SECURE_COOKIES.refresh]) {
        expect(findCookie(response, name)?.value).toBe('');
      }
    });

    it('delivers cookies by default in cookie mode, with plain names on plain HTTP', async () => {
      await start({ cookieMode: true });
      const response = await postSessionLogin(app, { headers: { host: 'auth.example.com' } });
      const session = findCookie(response, 'tessera_session')!;
      expect(session.secure).toBeUndefined();
      expect(session.httpOnly).toBe(true);
      expect((await withSessionCookie('/auth/me', session.value, 'tessera_session')).statusCode).toBe(200);
    });

    it('the session cookie authenticates GET /api/secure and /auth/me', async () => {
      await start();
      const { session } = await cookieSession(app);
      expect((await withSessionCookie('/api/secure', session)).json()).toMatchObject({
        sub: registered.user.id,
      });
      expect((await withSessionCookie('/auth/me', session)).statusCode).toBe(200);
    });

    it('a later JWT cookie sign-in clears the session cookie, so the browser keeps one credential', async () => {
      await start();
      const { session } = await cookieSession(app);
      const jwtLogin = await app.inject({
        method: 'POST',
        url: '/auth/login?delivery=cookie',
        headers: LOOPBACK,
        cookies: { [SECURE_COOKIES.session]: session },
        payload: { email: EMAIL, password: PASSWORD },
      });
      expect(findCookie(jwtLogin, SECURE_COOKIES.session)?.value).toBe('');
      expect(findCookie(jwtLogin, SECURE_COOKIES.access)?.value.split('.')).toHaveLength(3);
    });

    it('refuses a cross-site cookie sign-in (login CSRF)', async () => {
      await start();
      const response = await postSessionLogin(app, {
        query: '?mode=session&delivery=cookie',
        headers: { ...LOOPBACK, 'sec-fetch-site': 'cross-site' },
      });
      expectProblem(response, 403, 'csrf_rejected');
      expect(response.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('rejections', () => {
    const tamper = (token: string) => token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');

    it.each<[string, (token: string) => string]>([
      ['a tampered secret', tamper],
      ['an unknown id', (token) => `${'A'.repeat(22)}${token.slice(22)}`],
    ])('%s → 401 session_revoked, by Bearer and by cookie', async (_label, forge) => {
      await start();
      const token = forge(await sessionToken(app));
      expectProblem(await secure(token), 401, 'session_revoked', { instance: '/api/secure' });
      expectProblem(await withSessionCookie('/auth/me', token), 401, 'session_revoked');
    });

    it('a refresh token as Bearer → 401 session_revoked (it has the session-token shape)', async () => {
      await start();
      expectProblem(await secure(registered.refresh_token), 401, 'session_revoked');
    });

    it.each<[string, (token: string) => string]>([
      ['garbage', () => 'garbage'],
      ['a secret one character short', (token) => token.slice(0, -1)],
      ['a JWT access token', () => registered.access_token],
    ])('%s in the session cookie → 401 token_malformed', async (_label, mangle) => {
      await start();
      const token = mangle(await sessionToken(app));
      expectProblem(await withSessionCookie('/api/secure', token), 401, 'token_malformed');
    });

    it('a session token in the access cookie → 401 token_malformed (the cookie says which kind)', async () => {
      await start();
      const token = await sessionToken(app);
      expectProblem(
        await withSessionCookie('/api/secure', token, SECURE_COOKIES.access),
        401,
        'token_malformed',
      );
    });

    it('a malformed Bearer token one dot long → 401 token_malformed', async () => {
      await start();
      const token = await sessionToken(app);
      expectProblem(await secure(token.slice(1)), 401, 'token_malformed');
    });

    it('idle past the idle timeout → 401 session_expired', async () => {
      await start();
      const token = await sessionToken(app);
      deps.clock.advanceSeconds(IDLE - 1);
      expect((await secure(token)).statusCode).toBe(200);
      deps.clock.advanceSeconds(IDLE);
      expectProblem(await secure(token), 401, 'session_expired');
    });

    it('past the absolute timeout → 401 session_expired, however active', async () => {
      await start();
      const token = await sessionToken(app);
      for (let elapsed = 600; elapsed < ABSOLUTE; elapsed += 600) {
        deps.clock.advanceSeconds(600);
        expect((await secure(token)).statusCode).toBe(200);
      }
      deps.clock.advanceSeconds(600);
      expectProblem(await secure(token), 401, 'session_expired');
    });

    it('a disabled user → 401 session_revoked', async () => {
      await start();
      const token = await sessionToken(app);
      await deps.stores.users.update(registered.user.id, { disabled: true, updatedAt: deps.clock.now() });
      expectProblem(await secure(token), 401, 'session_revoked');
    });
  });

  describe('sliding renewal', () => {
    it('use extends the idle timeout', async () => {
      await start();
      const token = await sessionToken(app);
      deps.clock.advanceSeconds(IDLE - 60);
      expect((await secure(token)).statusCode).toBe(200);
      deps.clock.advanceSeconds(IDLE - 60); // past the first idle expiry
      expect((await secure(token)).statusCode).toBe(200);
    });

    it('bounded writes: 30 requests inside one renewal interval write the session at most once', async () => {
      await start();
      const token = await sessionToken(app);
      const touch = vi.spyOn(deps.stores.sessions, 'touch');
      for (let i = 0; i < 30; i++) {
        expect((await secure(token)).statusCode).toBe(200);
        deps.clock.advanceSeconds(5);
      }
      expect(touch).not.toHaveBeenCalled(); // 150 s < max(60 s, 1800 s / 10)
      deps.clock.advanceSeconds(30);
      for (let i = 0; i < 30; i++) {
        expect((await secure(token)).statusCode).toBe(200);
        deps.clock.advanceSeconds(5);
      }
      expect(touch).toHaveBeenCalledTimes(1);
    });
  });

  describe('fixation', () => {
    it('a session cookie planted before sign-in is ignored: sign-in issues a new session id', async () => {
      await start();
      await registerUser(app, 'mallory@example.com');
      const planted = await sessionToken(app, 'mallory@example.com');
      const response = await postSessionLogin(
        app,
        { query: '?mode=session&delivery=cookie' },
        { [SECURE_COOKIES.session]: planted },
      );
      expect(response.statusCode).toBe(200);
      const issued = findCookie(response, SECURE_COOKIES.session)!.value;
      expect(issued.split('.')[0]).not.toBe(planted.split('.')[0]);
      expect((await withSessionCookie('/auth/me', issued)).json()).toMatchObject({ user: { email: EMAIL } });
      // The planted session was not upgraded: it is still Mallory's, never the victim's.
      const mallory = await withSessionCookie('/auth/me', planted);
      expect(mallory.json()).toMatchObject({ user: { email: 'mallory@example.com' } });
    });

    it('an invented session cookie is ignored too and never becomes a session', async () => {
      await start();
      const invented = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
      const response = await postSessionLogin(app, {}, { [SECURE_COOKIES.session]: invented });
      expect(response.json<SessionBody>().session_token.split('.')[0]).not.toBe('A'.repeat(22));
      expectProblem(await withSessionCookie('/auth/me', invented), 401, 'session_revoked');
    });
  });

  describe('logout and sessions, mixing JWT and session tokens', () => {
    /** The registration's JWT session, then two session-token sign-ins a minute apart. */
    async function devices(): Promise<{ jwt: TokenBody; first: string; second: string }> {
      await start();
      deps.clock.advanceSeconds(60);
      const first = await sessionToken(app);
      deps.clock.advanceSeconds(60);
      const second = await sessionToken(app);
      return { jwt: registered, first, second };
    }
    const logout = (token: string, scope: string) =>
      app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token), payload: { scope } });
    const alive = async (token: string) => {
      const response = await secure(token);
      if (response.statusCode === 200) return true;
      expectProblem(response, 401, 'session_revoked');
      return false;
    };
    const refreshes = async (jwt: TokenBody) => {
      const response = await postRefresh(app, jwt.refresh_token);
      if (response.statusCode === 200) return true;
      expectProblem(response, 401, 'session_revoked');
      return false;
    };

    it.each<[string, [boolean, boolean, boolean]]>([
      ['local', [true, false, true]],
      ['others', [false, true, false]],
      ['global', [false, false, false]],
    ])('scope %s from a session token → [jwt, first, second] alive: %j', async (scope, expected) => {
      const { jwt, first, second } = await devices();
      expect((await logout(first, scope)).statusCode).toBe(204);
      expect([await refreshes(jwt), await alive(first), await alive(second)]).toEqual(expected);
    });

    it('scope others from a JWT access token ends the session tokens', async () => {
      const { jwt, first, second } = await devices();
      expect((await logout(jwt.access_token, 'others')).statusCode).toBe(204);
      expect([await refreshes(jwt), await alive(first), await alive(second)]).toEqual([true, false, false]);
    });

    it('GET /auth/sessions lists both kinds; DELETE /auth/sessions/:id ends a session-token session', async () => {
      const { jwt, first, second } = await devices();
      const listed = await getWith(app, '/auth/sessions', bearer(first));
      const sessions = listed.json<{ sessions: { id: string; kind: string; current: boolean }[] }>().sessions;
      expect(sessions.map((s) => [s.id, s.kind, s.current])).toEqual([
        [second.split('.')[0], 'session', false],
        [first.split('.')[0], 'session', true],
        [expect.any(String), 'jwt', false],
      ]);
      const url = `/auth/sessions/${second.split('.')[0]}`;
      expect(
        (await app.inject({ method: 'DELETE', url, headers: bearer(jwt.access_token) })).statusCode,
      ).toBe(204);
      expect([await alive(first), await alive(second)]).toEqual([true, false]);
    });

    it('a cookie-authenticated logout needs the CSRF token, then clears the session cookies', async () => {
      await start();
      const browser = await cookieSession(app);
      const refused = await withSessionCookies(app, browser, { method: 'POST', url: '/auth/logout' });
      expectProblem(refused, 403, 'csrf_rejected');
      expect((await withSessionCookie('/auth/me', browser.session)).statusCode).toBe(200);
      const response = await withSessionCookies(app, browser, {
        method: 'POST',
        url: '/auth/logout',
        headers: { 'x-csrf-token': browser.csrf },
      });
      expect(response.statusCode).toBe(204);
      expect(response.cookies.map((cookie) => [cookie.name, cookie.value]).sort()).toEqual([
        [SECURE_COOKIES.csrf, ''],
        [SECURE_COOKIES.session, ''],
      ]);
      expectProblem(await withSessionCookie('/auth/me', browser.session), 401, 'session_revoked');
    });

    it('a cookie logout with scope others keeps this browser signed in (cookies untouched)', async () => {
      await start();
      const other = await sessionToken(app);
      const browser = await cookieSession(app);
      const response = await withSessionCookies(app, browser, {
        method: 'POST',
        url: '/auth/logout',
        headers: { 'x-csrf-token': browser.csrf },
        payload: { scope: 'others' },
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect((await withSessionCookie('/auth/me', browser.session)).statusCode).toBe(200);
      expectProblem(await secure(other), 401, 'session_revoked');
    });

    it('DELETE /auth/sessions/:id by session cookie needs the CSRF token', async () => {
      await start();
      const browser = await cookieSession(app);
      const sessions = await deps.stores.sessions.listActiveForUser(registered.user.id, deps.clock.now());
      const target = sessions.find((session) => session.kind === 'jwt')!.id;
      const refused = await withSessionCookies(app, browser, {
        method: 'DELETE',
        url: `/auth/sessions/${target}`,
      });
      expectProblem(refused, 403, 'csrf_rejected');
    });
  });

  describe('role changes', () => {
    it('end session-token sessions but not JWT sessions, which pick the roles up at refresh', async () => {
      await start();
      const token = await sessionToken(app);
      await setUserRoles(deps, registered.user.id, ['admin']);
      expectProblem(await secure(token), 401, 'session_revoked');
      expect((await secure(registered.access_token)).statusCode).toBe(200);
      const refreshed = (await postRefresh(app, registered.refresh_token)).json<TokenBody>();
      expect((await getWith(app, '/api/admin', bearer(refreshed.access_token))).statusCode).toBe(200);
      const fresh = await sessionToken(app);
      expect((await getWith(app, '/api/admin', bearer(fresh))).statusCode).toBe(200);
    });

    it('roles are read from the user record on every request', async () => {
      await start();
      const token = await sessionToken(app);
      expectProblem(await getWith(app, '/api/admin', bearer(token)), 403, 'insufficient_scope');
      await deps.stores.users.update(registered.user.id, { roles: ['admin'], updatedAt: deps.clock.now() });
      expect((await getWith(app, '/api/admin', bearer(token))).statusCode).toBe(200);
    });
  });
});
