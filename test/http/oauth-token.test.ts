import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDeps } from '../helpers/test-deps.js';
import { bearer, EMAIL, PASSWORD } from './http-kit.js';
import {
  basic,
  claimsOf,
  createOAuthApp,
  expectOAuthError,
  OTHER_SECRET,
  passwordGrant,
  postForm,
  WEB_AUTH,
  WEB_SECRET,
  type OAuthTokens,
} from './oauth-kit.js';

describe('POST /oauth/token', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  beforeEach(async () => {
    ({ app, deps } = await createOAuthApp());
  });
  afterEach(async () => {
    await app.close();
  });

  const refreshWith = (refreshToken: string, headers: Record<string, string> = WEB_AUTH, extra = {}) =>
    postForm(
      app,
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
      headers,
    );

  describe('password grant', () => {
    it('issues an RFC 6749 §5.1 answer with no-store, and an access token naming the client', async () => {
      const response = await postForm(
        app,
        '/oauth/token',
        { grant_type: 'password', username: EMAIL, password: PASSWORD },
        WEB_AUTH,
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
      const body = response.json<OAuthTokens>();
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: deps.config.accessTokenTtlSeconds });
      // No scope asked: the client's registered scope is granted and echoed.
      expect(body.scope).toBe('billing:read billing:write');
      expect(claimsOf(body.access_token)).toMatchObject({
        client_id: 'web',
        scope: 'billing:read billing:write',
      });
      const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(body.access_token) });
      expect(me.statusCode).toBe(200);
    });

    it('accepts client_secret_post and a public client sending only its client_id', async () => {
      const post = await passwordGrant(app, { client_id: 'web', client_secret: WEB_SECRET }, {});
      expect(claimsOf(post.access_token).client_id).toBe('web');
      const pub = await passwordGrant(app, { client_id: 'mobile' }, {});
      expect(claimsOf(pub.access_token).client_id).toBe('mobile');
      expect(pub.scope).toBeUndefined();
    });

    it('grants a requested subset of the registered scope', async () => {
      const tokens = await passwordGrant(app, { scope: 'billing:read' });
      expect(tokens.scope).toBe('billing:read');
      expect(claimsOf(tokens.access_token).scope).toBe('billing:read');
    });

    it('refuses an unregistered or malformed scope with invalid_scope', async () => {
      const base = { grant_type: 'password', username: EMAIL, password: PASSWORD };
      expectOAuthError(
        await postForm(app, '/oauth/token', { ...base, scope: 'admin' }, WEB_AUTH),
        'invalid_scope',
      );
      expectOAuthError(
        await postForm(app, '/oauth/token', { ...base, scope: 'billing:read "x"' }, WEB_AUTH),
        'invalid_scope',
      );
    });

    it('answers a wrong password and an unknown account identically with invalid_grant', async () => {
      const wrong = expectOAuthError(
        await postForm(
          app,
          '/oauth/token',
          { grant_type: 'password', username: EMAIL, password: 'nope-nope-nope' },
          WEB_AUTH,
        ),
        'invalid_grant',
      );
      const unknown = expectOAuthError(
        await postForm(
          app,
          '/oauth/token',
          { grant_type: 'password', username: 'nobody@example.com', password: 'nope-nope-nope' },
          WEB_AUTH,
        ),
        'invalid_grant',
      );
      expect(unknown).toEqual(wrong);
    });

    it('locks the account after repeated failures, as /auth/login does', async () => {
      for (let i = 0; i < deps.config.lockout.threshold; i += 1) {
        await postForm(
          app,
          '/oauth/token',
          { grant_type: 'password', username: EMAIL, password: 'wrong-wrong-1' },
          WEB_AUTH,
        );
      }
      const locked = await postForm(
        app,
        '/oauth/token',
        { grant_type: 'password', username: EMAIL, password: PASSWORD },
        WEB_AUTH,
      );
      expect(expectOAuthError(locked, 'invalid_grant').error_description).toMatch(/try again later/);
    });

    it('rate-limits per IP with 429 and Retry-After', async () => {
      const { app: limited } = await createOAuthApp({
        rateLimits: { ...deps.config.rateLimits, loginPerIp: { max: 1, windowSeconds: 60 } },
      });
      await passwordGrant(limited);
      const response = await postForm(
        limited,
        '/oauth/token',
        { grant_type: 'password', username: EMAIL, password: PASSWORD },
        WEB_AUTH,
      );
      expectOAuthError(response, 'temporarily_unavailable', 429);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      await limited.close();
    });

    it('needs username and password (invalid_request)', async () => {
      expectOAuthError(
        await postForm(app, '/oauth/token', { grant_type: 'password', username: EMAIL }, WEB_AUTH),
        'invalid_request',
      );
      // An empty value counts as omitted (RFC 6749 §3.2).
      expectOAuthError(
        await postForm(
          app,
          '/oauth/token',
          { grant_type: 'password', username: EMAIL, password: '' },
          WEB_AUTH,
        ),
        'invalid_request',
      );
    });
  });

  describe('refresh_token grant', () => {
    it('rotates: a new pair, the old token spent, the client and scope kept', async () => {
      const first = await passwordGrant(app, { scope: 'billing:read' });
      const response = await refreshWith(first.refresh_token);
      expect(response.statusCode, response.body).toBe(200);
      const second = response.json<OAuthTokens>();
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.scope).toBe('billing:read');
      expect(claimsOf(second.access_token)).toMatchObject({ client_id: 'web', scope: 'billing:read' });
    });

    it('narrows the scope for one access token, and refuses a wider one with invalid_scope', async () => {
      const first = await passwordGrant(app, { scope: 'billing:read' });
      expectOAuthError(
        await refreshWith(first.refresh_token, WEB_AUTH, { scope: 'billing:write' }),
        'invalid_scope',
      );
      // The refusal wrote nothing: the token still refreshes.
      const full = await passwordGrant(app);
      const narrowed = await refreshWith(full.refresh_token, WEB_AUTH, { scope: 'billing:read' });
      expect(narrowed.json<OAuthTokens>().scope).toBe('billing:read');
      expect((await refreshWith(first.refresh_token)).statusCode).toBe(200);
    });

    it('detects reuse after the grace window: invalid_grant and the whole session revoked', async () => {
      const first = await passwordGrant(app);
      const second = (await refreshWith(first.refresh_token)).json<OAuthTokens>();
      // Inside the grace window the same successor comes back.
      expect((await refreshWith(first.refresh_token)).json<OAuthTokens>().refresh_token).toBe(
        second.refresh_token,
      );
      deps.clock.advanceSeconds(deps.config.refreshReuseGraceSeconds + 1);
      const reuse = expectOAuthError(await refreshWith(first.refresh_token), 'invalid_grant');
      expect(reuse.error_description).toMatch(/already used/);
      expectOAuthError(await refreshWith(second.refresh_token), 'invalid_grant');
    });

    it('refuses a refresh token issued to another client (RFC 6749 §6) without burning it', async () => {
      const tokens = await passwordGrant(app);
      expectOAuthError(
        await refreshWith(tokens.refresh_token, basic('other', OTHER_SECRET)),
        'invalid_grant',
      );
      expectOAuthError(await refreshWith(tokens.refresh_token, {}, { client_id: 'mobile' }), 'invalid_grant');
      // /auth/refresh is the first-party client: refused too.
      const firstParty = await app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refresh_token: tokens.refresh_token },
      });
      expect(firstParty.statusCode).toBe(401);
      expect(firstParty.json<{ code: string }>().code).toBe('refresh_token_invalid');
      expect((await refreshWith(tokens.refresh_token)).statusCode).toBe(200);
    });

    it('refreshes a first-party token only for the client "tessera"', async () => {
      const login = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: EMAIL, password: PASSWORD },
      });
      const refreshToken = login.json<{ refresh_token: string }>().refresh_token;
      expectOAuthError(await refreshWith(refreshToken), 'invalid_grant');
      const response = await refreshWith(refreshToken, {}, { client_id: 'tessera' });
      expect(response.statusCode, response.body).toBe(200);
      expect(claimsOf(response.json<OAuthTokens>().access_token).client_id).toBe('tessera');
    });

    it('refuses unknown, malformed and missing refresh tokens', async () => {
      expectOAuthError(await refreshWith('AAAAAAAAAAAAAAAAAAAAAA.' + 'B'.repeat(43)), 'invalid_grant');
      expectOAuthError(await refreshWith("' OR 1=1 --"), 'invalid_grant');
      expectOAuthError(
        await postForm(app, '/oauth/token', { grant_type: 'refresh_token' }, WEB_AUTH),
        'invalid_request',
      );
    });

    it('refuses an expired refresh token', async () => {
      const tokens = await passwordGrant(app);
      deps.clock.advanceSeconds(deps.config.refreshTokenTtlSeconds + 1);
      expectOAuthError(await refreshWith(tokens.refresh_token), 'invalid_grant');
    });
  });

  describe('grant types and clients', () => {
    it('refuses a missing grant_type (invalid_request) and an unknown one (unsupported_grant_type)', async () => {
      expectOAuthError(await postForm(app, '/oauth/token', { username: EMAIL }, WEB_AUTH), 'invalid_request');
      expectOAuthError(
        await postForm(app, '/oauth/token', { grant_type: 'client_credentials' }, WEB_AUTH),
        'unsupported_grant_type',
      );
      expectOAuthError(
        await postForm(app, '/oauth/token', { grant_type: 'authorization_code', code: 'x' }, WEB_AUTH),
        'unsupported_grant_type',
      );
    });

    it('refuses a grant the client is not registered for (unauthorized_client)', async () => {
      const response = await postForm(app, '/oauth/token', {
        grant_type: 'password',
        username: EMAIL,
        password: PASSWORD,
        client_id: 'refresher',
      });
      expectOAuthError(response, 'unauthorized_client');
    });

    it('answers invalid_client 401 with a Basic challenge when Basic credentials fail', async () => {
      const params = { grant_type: 'password', username: EMAIL, password: PASSWORD };
      for (const headers of [
        basic('web', 'wrong-secret'),
        basic('nobody', WEB_SECRET),
        basic('mobile', 'a-secret-for-a-public-client'),
        { authorization: 'Basic !!!not-base64' },
        { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
        { authorization: `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}` },
        { authorization: 'Bearer abc' },
      ]) {
        const response = await postForm(app, '/oauth/token', params, headers);
        expectOAuthError(response, 'invalid_client');
        expect(response.headers['www-authenticate']).toBe('Basic realm="tessera", charset="UTF-8"');
      }
    });

    it('answers invalid_client 401 without a challenge when body credentials fail', async () => {
      const params = { grant_type: 'password', username: EMAIL, password: PASSWORD };
      for (const extra of [
        { client_id: 'web', client_secret: 'wrong' },
        { client_id: 'web' },
        { client_id: 'nobody' },
        { client_id: 'mobile', client_secret: 'x' },
      ] as Record<string, string>[]) {
        const response = await postForm(app, '/oauth/token', { ...params, ...extra });
        expectOAuthError(response, 'invalid_client');
        expect(response.headers['www-authenticate']).toBeUndefined();
      }
      // No client at all.
      expectOAuthError(await postForm(app, '/oauth/token', params), 'invalid_client');
    });

    it('refuses two authentication methods at once, and a client_id that contradicts Basic', async () => {
      const params = { grant_type: 'password', username: EMAIL, password: PASSWORD };
      expectOAuthError(
        await postForm(app, '/oauth/token', { ...params, client_secret: WEB_SECRET }, WEB_AUTH),
        'invalid_request',
      );
      expectOAuthError(
        await postForm(app, '/oauth/token', { ...params, client_id: 'other' }, WEB_AUTH),
        'invalid_request',
      );
    });
  });
});
