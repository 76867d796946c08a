import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-deps.js';
import { EMAIL, PASSWORD, bearer, expectProblem, findCookie, registerUser } from './http-kit.js';

/**
 * `?delivery=refresh_cookie`, the SDK's memory strategy: access token in the body (page memory),
 * refresh token in an HttpOnly cookie bound to /auth/refresh, which then needs the same-origin check
 * and the double-submit CSRF token like any cookie-authorised state change (decision 0005).
 */
const LOOPBACK = { host: '127.0.0.1' };
const NAMES = { access: '__Host-tessera_at', refresh: '__Secure-tessera_rt', csrf: '__Host-tessera_csrf' };

interface MemorySignIn {
  accessToken: string;
  refresh: string;
  csrf: string;
}

describe('refresh_cookie delivery', () => {
  let app: FastifyInstance;

  beforeEach(async () => {
    ({ app } = await createTestApp());
    await registerUser(app);
  });
  afterEach(async () => {
    await app.close();
  });

  function login(query = '?delivery=refresh_cookie', headers: Record<string, string> = LOOPBACK) {
    return app.inject({
      method: 'POST',
      url: `/auth/login${query}`,
      headers,
      payload: { email: EMAIL, password: PASSWORD },
    });
  }

  function read(response: LightMyRequestResponse): MemorySignIn {
    expect(response.statusCode, response.body).toBe(200);
    return {
      accessToken: response.json<{ access_token: string }>().access_token,
      refresh: findCookie(response, NAMES.refresh)!.value,
      csrf: findCookie(response, NAMES.csrf)!.value,
    };
  }

  function refreshByCookie(
    signIn: MemorySignIn,
    headers: Record<string, string> = { 'x-csrf-token': signIn.csrf },
    query = '?delivery=refresh_cookie',
  ) {
    return app.inject({
      method: 'POST',
      url: `/auth/refresh${query}`,
      headers: { ...LOOPBACK, ...headers },
      cookies: { [NAMES.refresh]: signIn.refresh, [NAMES.csrf]: signIn.csrf },
    });
  }

  it('login puts the access token in the body and only the refresh token in an HttpOnly cookie', async () => {
    const response = await login();
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'csrf_token',
      'expires_in',
      'token_type',
      'user',
    ]);
    expect(response.body).not.toMatch(/refresh_token/);
    expect(findCookie(response, NAMES.access)).toBeUndefined();
    expect(findCookie(response, NAMES.refresh)).toMatchObject({
      httpOnly: true,
      secure: true,
      path: '/auth/refresh',
    });
    const csrf = findCookie(response, NAMES.csrf)!;
    expect(csrf.httpOnly).not.toBe(true);
    expect(csrf.value).toBe(body.csrf_token);

    const me = await app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(body.access_token as string),
    });
    expect(me.statusCode).toBe(200);
  });

  it('register supports it too', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/auth/register?delivery=refresh_cookie',
      headers: LOOPBACK,
      payload: { email: 'bob@example.com', password: PASSWORD },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<{ access_token: string }>().access_token.split('.')).toHaveLength(3);
    expect(findCookie(response, NAMES.refresh)?.httpOnly).toBe(true);
  });

  it('refresh by cookie answers in the same mode: new access token in the body, rotated cookie', async () => {
    const first = read(await login());
    const response = await refreshByCookie(first);
    const next = read(response);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.refresh).not.toBe(first.refresh);
    expect(response.body).not.toMatch(/refresh_token/);
    expect(findCookie(response, NAMES.access)).toBeUndefined();
  });

  it('refuses a cross-site refresh and one from a foreign Origin', async () => {
    const signIn = read(await login());
    const crossSite = await refreshByCookie(signIn, {
      'x-csrf-token': signIn.csrf,
      'sec-fetch-site': 'cross-site',
    });
    expectProblem(crossSite, 403, 'csrf_rejected');
    const foreign = await refreshByCookie(signIn, {
      'x-csrf-token': signIn.csrf,
      origin: 'https://evil.example',
    });
    expectProblem(foreign, 403, 'csrf_rejected');
  });

  it('refuses a refresh without the X-CSRF-Token header, or with a wrong one', async () => {
    const signIn = read(await login());
    expectProblem(await refreshByCookie(signIn, {}), 403, 'csrf_rejected');
    expectProblem(await refreshByCookie(signIn, { 'x-csrf-token': 'not-the-cookie' }), 403, 'csrf_rejected');
  });

  it('refuses a cross-site login that would set the refresh cookie (login CSRF)', async () => {
    const response = await login('?delivery=refresh_cookie', { ...LOOPBACK, 'sec-fetch-site': 'cross-site' });
    expectProblem(response, 403, 'csrf_rejected');
  });

  it('never hands a cookie-held refresh token to the body', async () => {
    const signIn = read(await login());
    const response = await refreshByCookie(signIn, { 'x-csrf-token': signIn.csrf }, '?delivery=body');
    expectProblem(response, 400, 'invalid_request');
  });

  it('refuses refresh_cookie (and cookie) delivery for a refresh token sent in the body', async () => {
    const tokens = await registerUser(app, 'carol@example.com');
    for (const delivery of ['refresh_cookie', 'cookie']) {
      const response = await app.inject({
        method: 'POST',
        url: `/auth/refresh?delivery=${delivery}`,
        payload: { refresh_token: tokens.refresh_token },
      });
      expectProblem(response, 400, 'invalid_request');
    }
  });

  it('refuses refresh_cookie for session-mode sign-in (a session token has no refresh token)', async () => {
    expectProblem(await login('?delivery=refresh_cookie&mode=session'), 400, 'invalid_request');
  });

  it('refuses unknown delivery values on refresh and logout', async () => {
    const signIn = read(await login());
    expectProblem(
      await refreshByCookie(signIn, { 'x-csrf-token': signIn.csrf }, '?delivery=smoke'),
      400,
      'invalid_request',
    );
    const logout = await app.inject({
      method: 'POST',
      url: '/auth/logout?delivery=cookie',
      headers: bearer(signIn.accessToken),
    });
    expectProblem(logout, 400, 'invalid_request');
  });

  it('logout with ?delivery=refresh_cookie ends the session and clears the refresh and CSRF cookies', async () => {
    const signIn = read(await login());
    const response = await app.inject({
      method: 'POST',
      url: '/auth/logout?delivery=refresh_cookie',
      headers: bearer(signIn.accessToken),
    });
    expect(response.statusCode).toBe(204);
    const cleared = findCookie(response, NAMES.refresh)!;
    expect(cleared.value).toBe('');
    expect(cleared.path).toBe('/auth/refresh');
    expect(findCookie(response, NAMES.csrf)!.value).toBe('');
    const after = await refreshByCookie(signIn);
    expectProblem(after, 401, 'session_revoked');
  });

  it('logout of scope "others" keeps this browser\'s refresh cookie', async () => {
    const signIn = read(await login());
    const response = await app.inject({
      method: 'POST',
      url: '/auth/logout?delivery=refresh_cookie',
      headers: bearer(signIn.accessToken),
      payload: { scope: 'others' },
    });
    expect(response.statusCode).toBe(204);
    expect(findCookie(response, NAMES.refresh)).toBeUndefined();
  });

  it('a plain Bearer logout sets no cookies', async () => {
    const signIn = read(await login());
    const response = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(signIn.accessToken),
    });
    expect(response.statusCode).toBe(204);
    expect(response.cookies).toHaveLength(0);
  });
});
