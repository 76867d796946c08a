import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import {
  PASSWORD,
  bearer,
  expectProblem,
  postLogin,
  postRefresh,
  registerUser,
  type TokenBody,
} from './http-kit.js';
import { cookieSession, getWith, sessionToken, withSessionCookies } from './session-kit.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe('POST /auth/password', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let jwt: TokenBody;
  let current: string;
  let other: string;

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
    jwt = await registerUser(app);
    current = await sessionToken(app);
    other = await sessionToken(app);
  });
  afterEach(async () => {
    await app.close();
  });

  const change = (token: string, payload: object): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url: '/auth/password', headers: bearer(token), payload });
  const valid = { current_password: PASSWORD, new_password: NEW_PASSWORD };
  const status = async (token: string) => (await getWith(app, '/auth/me', bearer(token))).statusCode;

  it('answers 204, keeps the calling session and revokes every other session of both kinds', async () => {
    const response = await change(current, valid);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(await status(current)).toBe(200);
    expectProblem(await getWith(app, '/auth/me', bearer(other)), 401, 'session_revoked');
    expectProblem(await postRefresh(app, jwt.refresh_token), 401, 'session_revoked');
    expect((await postLogin(app, undefined, NEW_PASSWORD)).statusCode).toBe(200);
    expectProblem(await postLogin(app), 401, 'invalid_credentials');
  });

  it('from a JWT access token keeps that session’s refresh token working', async () => {
    expect((await change(jwt.access_token, valid)).statusCode).toBe(204);
    expect((await postRefresh(app, jwt.refresh_token)).statusCode).toBe(200);
    expect([await status(current), await status(other)]).toEqual([401, 401]);
  });

  it('a wrong current password → 401 invalid_credentials, and nothing is revoked', async () => {
    const response = await change(current, { ...valid, current_password: 'not my password' });
    expectProblem(response, 401, 'invalid_credentials');
    expect([await status(current), await status(other)]).toEqual([200, 200]);
    expect((await postLogin(app)).statusCode).toBe(200);
  });

  it('repeated wrong current passwords → 429 account_locked with Retry-After', async () => {
    for (let i = 0; i < deps.config.lockout.threshold; i++) {
      expectProblem(
        await change(current, { ...valid, current_password: `guess ${i}` }),
        401,
        'invalid_credentials',
      );
    }
    const locked = await change(current, valid);
    expectProblem(locked, 429, 'account_locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a weak new password → 400 weak_password, and nothing changes', async () => {
    expectProblem(await change(current, { ...valid, new_password: 'short' }), 400, 'weak_password');
    expect(await status(other)).toBe(200);
    expect((await postLogin(app)).statusCode).toBe(200);
  });

  it.each<[string, object]>([
    ['no new_password', { current_password: PASSWORD }],
    ['no current_password', { new_password: NEW_PASSWORD }],
    ['an unknown member', { ...valid, password: NEW_PASSWORD }],
    ['a number', { ...valid, new_password: 12345678 }],
    ['an empty current password', { ...valid, current_password: '' }],
    ['a 2 KB password', { ...valid, new_password: 'x'.repeat(2048) }],
  ])('a body with %s → 400 invalid_request', async (_label, payload) => {
    expectProblem(await change(current, payload), 400, 'invalid_request');
    expect(await status(other)).toBe(200);
  });

  it('without a credential → 401 unauthenticated', async () => {
    const response = await app.inject({ method: 'POST', url: '/auth/password', payload: valid });
    expectProblem(response, 401, 'unauthenticated');
  });

  it('with a revoked session token → 401 session_revoked', async () => {
    await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(current) });
    expectProblem(await change(current, valid), 401, 'session_revoked');
  });

  describe('authenticated by the session cookie', () => {
    it('needs the CSRF token: without it 403 csrf_rejected and the password stays', async () => {
      const browser = await cookieSession(app);
      const refused = await withSessionCookies(app, browser, {
        method: 'POST',
        url: '/auth/password',
        payload: valid,
      });
      expectProblem(refused, 403, 'csrf_rejected');
      expect((await postLogin(app)).statusCode).toBe(200);
    });

    it('refuses a cross-site request even with the token', async () => {
      const browser = await cookieSession(app);
      const refused = await withSessionCookies(app, browser, {
        method: 'POST',
        url: '/auth/password',
        headers: { 'x-csrf-token': browser.csrf, 'sec-fetch-site': 'cross-site' },
        payload: valid,
      });
      expectProblem(refused, 403, 'csrf_rejected');
    });

    it('with the CSRF token answers 204 and keeps the browser signed in', async () => {
      const browser = await cookieSession(app);
      const response = await withSessionCookies(app, browser, {
        method: 'POST',
        url: '/auth/password',
        headers: { 'x-csrf-token': browser.csrf },
        payload: valid,
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['set-cookie']).toBeUndefined();
      const me = await withSessionCookies(app, browser, { method: 'GET', url: '/auth/me' });
      expect(me.statusCode).toBe(200);
      expect([await status(current), await status(other)]).toEqual([401, 401]);
    });
  });
});
