import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDeps } from '../helpers/test-deps.js';
import { bearer, EMAIL, PASSWORD } from './http-kit.js';
import {
  basic,
  createOAuthApp,
  expectOAuthError,
  OTHER_SECRET,
  passwordGrant,
  postForm,
  WEB_AUTH,
  type OAuthTokens,
} from './oauth-kit.js';

type Introspection = Record<string, unknown> & { active: boolean };

describe('POST /oauth/revoke and /oauth/introspect', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  beforeEach(async () => {
    // Strict mode: a revoked session's access tokens stop working before they expire.
    ({ app, deps } = await createOAuthApp({ strictMode: true }));
  });
  afterEach(async () => {
    await app.close();
  });

  const introspect = async (token: string, extra: Record<string, string> = {}): Promise<Introspection> => {
    const response = await postForm(app, '/oauth/introspect', { token, ...extra }, WEB_AUTH);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    return response.json<Introspection>();
  };
  const revoke = (
    token: string,
    headers: Record<string, string> = WEB_AUTH,
    extra: Record<string, string> = {},
  ) => postForm(app, '/oauth/revoke', { token, ...extra }, headers);
  const refreshWith = (refreshToken: string) =>
    postForm(app, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, WEB_AUTH);
  const me = (token: string) => app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) });
  const sessionToken = async (): Promise<string> => {
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login?mode=session',
      payload: { email: EMAIL, password: PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    return login.json<{ session_token: string }>().session_token;
  };

  describe('introspection', () => {
    it('describes an active access token with the RFC 7662 members and nothing personal', async () => {
      const tokens = await passwordGrant(app, { scope: 'billing:read' });
      const body = await introspect(tokens.access_token);
      expect(body).toMatchObject({
        active: true,
        client_id: 'web',
        scope: 'billing:read',
        token_type: 'Bearer',
        iss: deps.config.issuer,
        aud: deps.config.audience,
      });
      expect(Object.keys(body).sort()).toEqual(
        [
          'active',
          'aud',
          'client_id',
          'exp',
          'iat',
          'iss',
          'jti',
          'scope',
          'sid',
          'sub',
          'token_type',
        ].sort(),
      );
      expect(JSON.stringify(body)).not.toContain(EMAIL);
    });

    it('describes an active refresh token and an active session token', async () => {
      const tokens = await passwordGrant(app);
      expect(await introspect(tokens.refresh_token, { token_type_hint: 'refresh_token' })).toMatchObject({
        active: true,
        client_id: 'web',
      });
      const session = await sessionToken();
      expect(await introspect(session)).toMatchObject({
        active: true,
        client_id: 'tessera',
        token_type: 'Bearer',
      });
      // The hint only orders the lookup: a wrong hint still finds the token.
      expect((await introspect(session, { token_type_hint: 'refresh_token' })).active).toBe(true);
    });

    it('says only {active:false} for unknown, malformed, expired, used and revoked tokens', async () => {
      const tokens = await passwordGrant(app);
      for (const token of [
        'nonsense',
        'a.b.c',
        'AAAAAAAAAAAAAAAAAAAAAA.' + 'B'.repeat(43),
        "'; DROP TABLE users; --",
      ]) {
        expect(await introspect(token)).toEqual({ active: false });
      }
      // A used refresh token is spent.
      expect((await refreshWith(tokens.refresh_token)).statusCode).toBe(200);
      expect(await introspect(tokens.refresh_token)).toEqual({ active: false });
      // An access token past exp.
      deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds + 1);
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
    });

    it('says {active:false} for a session token past its idle timeout', async () => {
      const session = await sessionToken();
      deps.clock.advanceSeconds(deps.config.sessionIdleTimeoutSeconds + 1);
      expect(await introspect(session)).toEqual({ active: false });
    });

    it('refuses public clients (invalid_client) and bad credentials', async () => {
      const tokens = await passwordGrant(app);
      expectOAuthError(
        await postForm(app, '/oauth/introspect', { token: tokens.access_token, client_id: 'mobile' }),
        'invalid_client',
      );
      expectOAuthError(
        await postForm(app, '/oauth/introspect', { token: tokens.access_token }, basic('web', 'wrong')),
        'invalid_client',
      );
    });

    it('refuses an unsupported token_type_hint and a missing token', async () => {
      expectOAuthError(
        await postForm(app, '/oauth/introspect', { token: 'x', token_type_hint: 'id_token' }, WEB_AUTH),
        'unsupported_token_type',
      );
      expectOAuthError(await postForm(app, '/oauth/introspect', {}, WEB_AUTH), 'invalid_request');
    });
  });

  describe('revocation', () => {
    it('revokes a refresh token: the session and its whole family end', async () => {
      const tokens = await passwordGrant(app);
      const response = await revoke(tokens.refresh_token, WEB_AUTH, { token_type_hint: 'refresh_token' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('');
      expect(response.headers['cache-control']).toBe('no-store');
      expectOAuthError(await refreshWith(tokens.refresh_token), 'invalid_grant');
      expect(await introspect(tokens.refresh_token)).toEqual({ active: false });
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
      expect((await me(tokens.access_token)).statusCode).toBe(401);
    });

    it('revokes an access token by its session (announced to the revocation list)', async () => {
      const tokens = await passwordGrant(app);
      expect((await me(tokens.access_token)).statusCode).toBe(200);
      expect(
        (await revoke(tokens.access_token, WEB_AUTH, { token_type_hint: 'access_token' })).statusCode,
      ).toBe(200);
      expect((await me(tokens.access_token)).statusCode).toBe(401);
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
      expectOAuthError(await refreshWith(tokens.refresh_token), 'invalid_grant');
      const audit = await deps.stores.audit.list({ type: 'session_revoked' });
      expect(audit.at(-1)?.detail).toMatchObject({ client_id: 'web', token_type: 'access_token' });
    });

    it('revokes a session token for the first-party client "tessera"', async () => {
      const session = await sessionToken();
      expect((await me(session)).statusCode).toBe(200);
      // Another client may not revoke it: 200, nothing changes (RFC 7009 §2.1).
      expect((await revoke(session)).statusCode).toBe(200);
      expect((await me(session)).statusCode).toBe(200);
      const response = await revoke(session, {}, { client_id: 'tessera', token_type_hint: 'session_token' });
      expect(response.statusCode).toBe(200);
      expect((await me(session)).statusCode).toBe(401);
    });

    it('answers 200 and leaves another client’s token alone', async () => {
      const tokens = await passwordGrant(app);
      expect((await revoke(tokens.refresh_token, basic('other', OTHER_SECRET))).statusCode).toBe(200);
      expect((await revoke(tokens.access_token, basic('other', OTHER_SECRET))).statusCode).toBe(200);
      expect((await refreshWith(tokens.refresh_token)).statusCode).toBe(200);
    });

    it('answers 200 for unknown and invalid tokens (RFC 7009 §2.2), and revoking twice', async () => {
      for (const token of ['nonsense', 'a.b.c', 'AAAAAAAAAAAAAAAAAAAAAA.' + 'B'.repeat(43)]) {
        expect((await revoke(token)).statusCode).toBe(200);
      }
      const tokens: OAuthTokens = await passwordGrant(app);
      expect((await revoke(tokens.refresh_token)).statusCode).toBe(200);
      expect((await revoke(tokens.refresh_token)).statusCode).toBe(200);
    });

    it('lets a public client revoke its own tokens with only its client_id', async () => {
      const tokens = await passwordGrant(app, { client_id: 'mobile' }, {});
      expect((await revoke(tokens.refresh_token, {}, { client_id: 'mobile' })).statusCode).toBe(200);
      const again = await postForm(app, '/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: 'mobile',
      });
      expectOAuthError(again, 'invalid_grant');
    });

    it('refuses an unsupported token_type_hint, a missing token and failed client authentication', async () => {
      expectOAuthError(
        await revoke('x', WEB_AUTH, { token_type_hint: 'id_token' }),
        'unsupported_token_type',
      );
      expectOAuthError(await postForm(app, '/oauth/revoke', {}, WEB_AUTH), 'invalid_request');
      expectOAuthError(await revoke('x', basic('web', 'wrong')), 'invalid_client');
      expectOAuthError(await revoke('x', {}), 'invalid_client');
    });
  });
});
