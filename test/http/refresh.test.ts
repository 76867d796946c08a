import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { bearer, expectProblem, postRefresh, registerUser, type TokenBody } from './http-kit.js';

describe('POST /auth/refresh', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let user: TokenBody;

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
    user = await registerUser(app);
  });
  afterEach(async () => {
    await app.close();
  });

  async function rotate(token: string): Promise<TokenBody> {
    const response = await postRefresh(app, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<TokenBody>();
  }

  it('rotates: a new refresh token and a new access token for the same session, never cached', async () => {
    deps.clock.advanceSeconds(60);
    const response = await postRefresh(app, user.refresh_token);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const pair = response.json<TokenBody>();
    expect(Object.keys(pair).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'token_type',
      'user',
    ]);
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: user.user });
    expect(pair.refresh_token).not.toBe(user.refresh_token);
    expect(pair.access_token).not.toBe(user.access_token);
    const sid = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid as string;
    expect(sid(pair.access_token)).toBe(sid(user.access_token));
    expect(
      (await app.inject({ method: 'GET', url: '/api/secure', headers: bearer(pair.access_token) }))
        .statusCode,
    ).toBe(200);
    // The successor rotates in turn.
    const third = await rotate(pair.refresh_token);
    expect(third.refresh_token).not.toBe(pair.refresh_token);
    const types = (await deps.stores.audit.list({ type: 'refresh' })).map((event) => event.type);
    expect(types).toEqual(['refresh', 'refresh']);
  });

  describe('reuse of a rotated token', () => {
    it('inside the grace window returns the SAME successor (two tabs, a retried request)', async () => {
      const first = await rotate(user.refresh_token);
      deps.clock.advanceSeconds(deps.config.refreshReuseGraceSeconds);
      const again = await rotate(user.refresh_token);
      expect(again.refresh_token).toBe(first.refresh_token);
      // Still one live family: the successor works, exactly once.
      const next = await rotate(first.refresh_token);
      expect(next.refresh_token).not.toBe(first.refresh_token);
      expect(await deps.stores.audit.list({ type: 'refresh_reuse_detected' })).toEqual([]);
    });

    it('after the grace window answers refresh_token_reused, revokes the family, and records an audit event', async () => {
      const successor = await rotate(user.refresh_token);
      const newest = await rotate(successor.refresh_token);
      deps.clock.advanceSeconds(deps.config.refreshReuseGraceSeconds + 1);

      const reused = await postRefresh(app, user.refresh_token);
      expectProblem(reused, 401, 'refresh_token_reused', { bearerError: null, instance: '/auth/refresh' });
      expect(reused.body).not.toContain(user.refresh_token);

      // The thief's and the victim's newest tokens are dead alike: the whole family went.
      expectProblem(await postRefresh(app, newest.refresh_token), 401, 'session_revoked');
      expectProblem(await postRefresh(app, successor.refresh_token), 401, 'session_revoked');
      expectProblem(await postRefresh(app, user.refresh_token), 401, 'session_revoked');

      const events = await deps.stores.audit.list({ type: 'refresh_reuse_detected' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        userId: user.user.id,
        sessionId: expect.any(String),
        ip: '127.0.0.1',
      });
      expect(JSON.stringify(events[0])).not.toContain(user.refresh_token);
      const sessions = await deps.stores.sessions.listActiveForUser(user.user.id, deps.clock.now());
      expect(sessions).toEqual([]);
    });

    it('revokes only that family: another session of the same user keeps working', async () => {
      const other = (
        await app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: user.user.email, password: 'correct horse battery' },
        })
      ).json<TokenBody>();
      await rotate(user.refresh_token);
      deps.clock.advanceSeconds(deps.config.refreshReuseGraceSeconds + 1);
      expectProblem(await postRefresh(app, user.refresh_token), 401, 'refresh_token_reused', {
        bearerError: null,
      });
      expect((await postRefresh(app, other.refresh_token)).statusCode).toBe(200);
    });

    it('answers reuse of the successor before the grace of the ORIGINAL ran out independently', async () => {
      // Grace is measured from the moment each token was used, not from login.
      deps.clock.advanceSeconds(100);
      const successor = await rotate(user.refresh_token);
      deps.clock.advanceSeconds(5);
      expect((await rotate(user.refresh_token)).refresh_token).toBe(successor.refresh_token);
    });
  });

  describe('invalid and expired refresh tokens', () => {
    it.each<[string, () => string]>([
      ['garbage', () => 'garbage'],
      ['a lone dot', () => '.'],
      ['the right shape, an unknown id', () => `${'A'.repeat(22)}.${'B'.repeat(43)}`],
      ['the token with padding', () => `${user.refresh_token}=`],
      ['the token with a trailing space', () => `${user.refresh_token} `],
      ['an access token', () => user.access_token.slice(0, 512)],
    ])('refuses %s with 401 refresh_token_invalid', async (_label, token) => {
      expectProblem(await postRefresh(app, token()), 401, 'refresh_token_invalid', { bearerError: null });
    });

    it('refuses a known id with a wrong secret as invalid, and does not burn the family', async () => {
      const [id] = user.refresh_token.split('.');
      const guessed = `${id}.${'x'.repeat(43)}`;
      expectProblem(await postRefresh(app, guessed), 401, 'refresh_token_invalid', { bearerError: null });
      deps.clock.advanceSeconds(60);
      expectProblem(await postRefresh(app, guessed), 401, 'refresh_token_invalid', { bearerError: null });
      expect((await postRefresh(app, user.refresh_token)).statusCode).toBe(200);
      expect(await deps.stores.audit.list({ type: 'refresh_reuse_detected' })).toEqual([]);
    });

    it('refuses a token past its lifetime with refresh_token_expired', async () => {
      deps.clock.advanceSeconds(deps.config.refreshTokenTtlSeconds);
      expectProblem(await postRefresh(app, user.refresh_token), 401, 'refresh_token_expired', {
        bearerError: null,
      });
    });

    it('accepts it one second before', async () => {
      deps.clock.advanceSeconds(deps.config.refreshTokenTtlSeconds - 1);
      expect((await postRefresh(app, user.refresh_token)).statusCode).toBe(200);
    });

    it('does not extend the session: a rotated token dies with the session’s absolute lifetime', async () => {
      deps.clock.advanceSeconds(deps.config.refreshTokenTtlSeconds - 10);
      const late = await rotate(user.refresh_token);
      deps.clock.advanceSeconds(10);
      expectProblem(await postRefresh(app, late.refresh_token), 401, 'refresh_token_expired', {
        bearerError: null,
      });
    });

    it('refuses the refresh token of a disabled user', async () => {
      await deps.stores.users.update(user.user.id, { disabled: true, updatedAt: deps.clock.now() });
      expectProblem(await postRefresh(app, user.refresh_token), 401, 'session_revoked');
    });

    it.each([
      ['no body', undefined],
      ['an empty object', {}],
      ['null', null],
    ])('answers %s with 401 refresh_token_invalid', async (_label, payload) => {
      const response = await app.inject({
        method: 'POST',
        url: '/auth/refresh',
        ...(payload === undefined
          ? {}
          : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
      });
      expectProblem(response, 401, 'refresh_token_invalid', { bearerError: null });
    });

    it.each([
      ['a number', { refresh_token: 123 }],
      ['an array', { refresh_token: ['x'] }],
      ['an object', { refresh_token: { $gt: '' } }],
      ['an empty string', { refresh_token: '' }],
      ['a 513-character string', { refresh_token: 'a'.repeat(513) }],
      ['an extra member', { refresh_token: 'x', user_id: 'y' }],
    ])('refuses a refresh_token that is %s with 400 invalid_request', async (_label, payload) => {
      expectProblem(
        await app.inject({ method: 'POST', url: '/auth/refresh', payload }),
        400,
        'invalid_request',
      );
    });
  });

  it('never forks under concurrency: 20 simultaneous refreshes with one token all get the same successor', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postRefresh(app, user.refresh_token)),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(200));
    const successors = new Set(responses.map((response) => response.json<TokenBody>().refresh_token));
    expect(successors.size).toBe(1);
    const [successor] = [...successors];
    expect(successor).not.toBe(user.refresh_token);
    expect((await rotate(successor!)).refresh_token).not.toBe(successor);
    expect(await deps.stores.audit.list({ type: 'refresh_reuse_detected' })).toEqual([]);
    expect(await deps.stores.audit.list({ type: 'refresh' })).toHaveLength(2);
  });
});
