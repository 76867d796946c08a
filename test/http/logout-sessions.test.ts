import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import {
  EMAIL,
  bearer,
  expectProblem,
  loginUser,
  postRefresh,
  registerUser,
  type TokenBody,
} from './http-kit.js';

interface SessionView {
  id: string;
  kind: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

function sidOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
}

describe('logout and sessions', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  afterEach(async () => {
    await app.close();
  });

  /** One user signed in on three devices, a minute apart: [first, second, third]. */
  async function threeDevices(config: Partial<Config> = {}): Promise<TokenBody[]> {
    ({ app, deps } = await createTestApp({ config }));
    const first = await registerUser(app);
    deps.clock.advanceSeconds(60);
    const second = await loginUser(app);
    deps.clock.advanceSeconds(60);
    const third = await loginUser(app);
    return [first, second, third];
  }

  const logout = (accessToken: string, payload?: object) =>
    app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(accessToken),
      ...(payload ? { payload } : {}),
    });

  async function listSessions(accessToken: string): Promise<SessionView[]> {
    const response = await app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer(accessToken) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    return response.json<{ sessions: SessionView[] }>().sessions;
  }

  async function refreshWorks(device: TokenBody): Promise<boolean> {
    const response = await postRefresh(app, device.refresh_token);
    if (response.statusCode === 200) return true;
    expectProblem(response, 401, 'session_revoked');
    return false;
  }

  describe('GET /auth/sessions', () => {
    it('lists the user’s live sessions newest first, marking the caller’s own as current', async () => {
      const devices = await threeDevices();
      const sessions = await listSessions(devices[1]!.access_token);
      expect(sessions.map((session) => session.id)).toEqual(
        devices.map((d) => sidOf(d.access_token)).reverse(),
      );
      expect(sessions.map((session) => session.current)).toEqual([false, true, false]);
      expect(sessions[0]).toEqual({
        id: sidOf(devices[2]!.access_token),
        kind: 'jwt',
        created_at: '2026-01-15T10:02:00.000Z',
        last_seen_at: '2026-01-15T10:02:00.000Z',
        expires_at: new Date(
          Date.parse('2026-01-15T10:02:00.000Z') + deps.config.refreshTokenTtlSeconds * 1000,
        ).toISOString(),
        user_agent: 'lightMyRequest',
        ip: '127.0.0.1',
        current: false,
      });
    });

    it('shows only the caller’s own sessions', async () => {
      const devices = await threeDevices();
      const bob = await registerUser(app, 'bob@example.com');
      const bobs = await listSessions(bob.access_token);
      expect(bobs.map((session) => session.id)).toEqual([sidOf(bob.access_token)]);
      expect((await listSessions(devices[0]!.access_token)).map((s) => s.id)).not.toContain(
        sidOf(bob.access_token),
      );
    });

    it('needs a credential', async () => {
      ({ app, deps } = await createTestApp());
      expectProblem(await app.inject({ method: 'GET', url: '/auth/sessions' }), 401, 'unauthenticated', {
        bearerError: null,
      });
    });
  });

  describe('POST /auth/logout scopes', () => {
    it('local (the default) ends only this session', async () => {
      const [first, second, third] = await threeDevices();
      const response = await logout(second!.access_token);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(await refreshWorks(second!)).toBe(false);
      expect(await refreshWorks(first!)).toBe(true);
      expect(await refreshWorks(third!)).toBe(true);
      const left = await listSessions(first!.access_token);
      expect(left.map((session) => session.id).sort()).toEqual(
        [sidOf(first!.access_token), sidOf(third!.access_token)].sort(),
      );
    });

    it('local when asked explicitly', async () => {
      const [first, second] = await threeDevices();
      expect((await logout(first!.access_token, { scope: 'local' })).statusCode).toBe(204);
      expect(await refreshWorks(first!)).toBe(false);
      expect(await refreshWorks(second!)).toBe(true);
    });

    it('others ends every session but this one', async () => {
      const [first, second, third] = await threeDevices();
      expect((await logout(second!.access_token, { scope: 'others' })).statusCode).toBe(204);
      expect(await refreshWorks(first!)).toBe(false);
      expect(await refreshWorks(third!)).toBe(false);
      expect(await refreshWorks(second!)).toBe(true);
      const left = await listSessions(second!.access_token);
      expect(left).toEqual([expect.objectContaining({ id: sidOf(second!.access_token), current: true })]);
    });

    it('global ends all of them', async () => {
      const devices = await threeDevices();
      expect((await logout(devices[0]!.access_token, { scope: 'global' })).statusCode).toBe(204);
      for (const device of devices) expect(await refreshWorks(device)).toBe(false);
      // Default mode: the access token itself still verifies until exp, and sees no sessions left.
      expect(await listSessions(devices[0]!.access_token)).toEqual([]);
      const audit = await deps.stores.audit.list({ type: 'logout' });
      expect(audit[0]?.detail).toEqual({ scope: 'global', revoked: 3 });
    });

    it('never touches another user’s sessions', async () => {
      const [first] = await threeDevices();
      const bob = await registerUser(app, 'bob@example.com');
      expect((await logout(first!.access_token, { scope: 'global' })).statusCode).toBe(204);
      expect(await refreshWorks(bob)).toBe(true);
    });

    it('is idempotent: a second logout with the same token answers 204 again', async () => {
      const [first] = await threeDevices();
      expect((await logout(first!.access_token)).statusCode).toBe(204);
      expect((await logout(first!.access_token)).statusCode).toBe(204);
    });

    it.each([
      ['an unknown scope', { scope: 'everything' }],
      ['a scope of the wrong type', { scope: 1 }],
      ['an unknown member', { scope: 'local', user_id: 'x' }],
    ])('refuses %s with 400 invalid_request and logs nobody out', async (_label, payload) => {
      const [first] = await threeDevices();
      expectProblem(await logout(first!.access_token, payload), 400, 'invalid_request');
      expect(await refreshWorks(first!)).toBe(true);
    });

    it('needs a credential', async () => {
      ({ app, deps } = await createTestApp());
      const response = await app.inject({
        method: 'POST',
        url: '/auth/logout',
        payload: { scope: 'global' },
      });
      expectProblem(response, 401, 'unauthenticated', { bearerError: null });
    });
  });

  describe('access tokens after logout', () => {
    it('default mode: the access token keeps working until exp (stateless verification)', async () => {
      const [first] = await threeDevices();
      expect((await logout(first!.access_token)).statusCode).toBe(204);
      const secure = await app.inject({
        method: 'GET',
        url: '/api/secure',
        headers: bearer(first!.access_token),
      });
      expect(secure.statusCode).toBe(200);
      const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(first!.access_token) });
      expect(me.statusCode).toBe(200);
      deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds);
      const expired = await app.inject({
        method: 'GET',
        url: '/api/secure',
        headers: bearer(first!.access_token),
      });
      expectProblem(expired, 401, 'token_expired');
    });

    it('strict mode: the access token is refused with session_revoked right after logout', async () => {
      const [first, second] = await threeDevices({ strictMode: true });
      expect(
        (await app.inject({ method: 'GET', url: '/api/secure', headers: bearer(first!.access_token) }))
          .statusCode,
      ).toBe(200);
      expect((await logout(first!.access_token)).statusCode).toBe(204);
      for (const url of ['/api/secure', '/auth/me', '/auth/sessions']) {
        const response = await app.inject({ method: 'GET', url, headers: bearer(first!.access_token) });
        expectProblem(response, 401, 'session_revoked', { instance: url });
        expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      }
      // The other device is untouched.
      expect(
        (await app.inject({ method: 'GET', url: '/api/secure', headers: bearer(second!.access_token) }))
          .statusCode,
      ).toBe(200);
    });

    it('strict mode: global logout refuses every device’s access token', async () => {
      const devices = await threeDevices({ strictMode: true });
      expect((await logout(devices[2]!.access_token, { scope: 'global' })).statusCode).toBe(204);
      for (const device of devices) {
        const response = await app.inject({
          method: 'GET',
          url: '/api/secure',
          headers: bearer(device.access_token),
        });
        expectProblem(response, 401, 'session_revoked');
      }
    });

    it('strict mode: a session past its absolute lifetime answers session_expired', async () => {
      const [first] = await threeDevices({
        strictMode: true,
        accessTokenTtlSeconds: 3600,
        refreshTokenTtlSeconds: 3600,
      });
      deps.clock.advanceSeconds(3600 - 120 - 1);
      expect(
        (await app.inject({ method: 'GET', url: '/api/secure', headers: bearer(first!.access_token) }))
          .statusCode,
      ).toBe(200);
      deps.clock.advanceSeconds(1);
      // The access token is within exp + tolerance, but its session has run out.
      const response = await app.inject({
        method: 'GET',
        url: '/api/secure',
        headers: bearer(first!.access_token),
      });
      expectProblem(response, 401, 'session_expired');
    });
  });

  describe('DELETE /auth/sessions/:id', () => {
    const revoke = (accessToken: string, id: string) =>
      app.inject({ method: 'DELETE', url: `/auth/sessions/${id}`, headers: bearer(accessToken) });

    it('revokes one of the caller’s other sessions', async () => {
      const [first, second, third] = await threeDevices();
      const response = await revoke(first!.access_token, sidOf(second!.access_token));
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(await refreshWorks(second!)).toBe(false);
      expect(await refreshWorks(third!)).toBe(true);
      expect((await listSessions(first!.access_token)).map((s) => s.id)).not.toContain(
        sidOf(second!.access_token),
      );
      expect(await deps.stores.audit.list({ type: 'session_revoked' })).toHaveLength(1);
    });

    it('answers 404 session_not_found for another user’s session, which stays alive', async () => {
      const [first] = await threeDevices();
      const bob = await registerUser(app, 'bob@example.com');
      const response = await revoke(first!.access_token, sidOf(bob.access_token));
      expectProblem(response, 404, 'session_not_found');
      expect(await refreshWorks(bob)).toBe(true);
      expect(await listSessions(bob.access_token)).toHaveLength(1);
    });

    it('answers the same 404 for an unknown id and for an already revoked session', async () => {
      const [first, second] = await threeDevices();
      const unknown = await revoke(first!.access_token, 'no-such-session');
      expectProblem(unknown, 404, 'session_not_found');
      expect((await revoke(first!.access_token, sidOf(second!.access_token))).statusCode).toBe(204);
      const again = await revoke(first!.access_token, sidOf(second!.access_token));
      expectProblem(again, 404, 'session_not_found');
      expect(again.json<{ detail: string }>().detail).toBe(unknown.json<{ detail: string }>().detail);
    });

    it.each([
      ['characters outside the id alphabet', 'abc%27%20OR%201%3D1'],
      ['65 characters', 'a'.repeat(65)],
    ])('refuses an id with %s as 400 invalid_request', async (_label, id) => {
      const [first] = await threeDevices();
      expectProblem(await revoke(first!.access_token, id), 400, 'invalid_request');
    });

    it('needs a credential', async () => {
      const [, second] = await threeDevices();
      const response = await app.inject({
        method: 'DELETE',
        url: `/auth/sessions/${sidOf(second!.access_token)}`,
      });
      expectProblem(response, 401, 'unauthenticated', { bearerError: null });
      expect(await refreshWorks(second!)).toBe(true);
    });
  });

  describe('GET /auth/me', () => {
    it('answers the caller’s user with the current roles from the store', async () => {
      const [first] = await threeDevices();
      const response = await app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: bearer(first!.access_token),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ user: { ...first!.user, email: EMAIL } });
    });

    it('refuses query parameters', async () => {
      const [first] = await threeDevices();
      const response = await app.inject({
        method: 'GET',
        url: '/auth/me?fields=password_hash',
        headers: bearer(first!.access_token),
      });
      expectProblem(response, 400, 'invalid_request');
    });
  });
});
