import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthErrorCode } from '../../src/errors.js';
import { setUserRoles } from '../../src/flows/admin/roles.js';
import { generateKey } from '../../src/keys/generate-key.js';
import { signJwt } from '../../src/token/jwt-sign.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { forge, segment, signRaw } from '../helpers/token-kit.js';
import { bearer, expectProblem, postRefresh, registerUser, type TokenBody } from './http-kit.js';

function decodeSegment(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('protected resources', () => {
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

  const getSecure = (headers: Record<string, string | string[]> = {}, url = '/api/secure') =>
    app.inject({ method: 'GET', url, headers });

  it('GET /api/secure answers 200 {message, sub} to a valid token', async () => {
    const response = await getSecure(bearer(user.access_token));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: expect.any(String), sub: user.user.id });
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('answers 401 unauthenticated with a bare Bearer challenge when no credential is sent', async () => {
    const response = await getSecure();
    expectProblem(response, 401, 'unauthenticated', { bearerError: null, instance: '/api/secure' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="tessera"');
  });

  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])(
    'accepts the %s scheme (case-insensitive, RFC 6750 §2.1)',
    async (scheme) => {
      expect((await getSecure({ authorization: `${scheme} ${user.access_token}` })).statusCode).toBe(200);
    },
  );

  describe('rejected tokens → 401 with error="invalid_token"', () => {
    function claims(): Record<string, unknown> {
      return decodeSegment(user.access_token, 1);
    }

    const cases: [string, () => string, AuthErrorCode][] = [
      [
        'signed by another key (unknown kid)',
        () => signJwt(claims() as never, generateKey('ES256'), { typ: 'at+jwt' }),
        'key_not_found',
      ],
      [
        'signed by another key under our kid',
        () =>
          signJwt(claims() as never, generateKey('ES256', { kid: deps.keys.signingKey.kid }), {
            typ: 'at+jwt',
          }),
        'token_signature_invalid',
      ],
      [
        'a tampered payload (sub changed)',
        () => {
          const [header, , signature] = user.access_token.split('.');
          return `${header}.${segment({ ...claims(), sub: 'someone-else' })}.${signature}`;
        },
        'token_signature_invalid',
      ],
      [
        'a tampered payload (roles added)',
        () => {
          const [header, , signature] = user.access_token.split('.');
          return `${header}.${segment({ ...claims(), roles: ['admin'] })}.${signature}`;
        },
        'token_signature_invalid',
      ],
      [
        'a flipped signature bit',
        () => {
          const [header, payload, signature] = user.access_token.split('.');
          const bytes = Buffer.from(signature!, 'base64url');
          bytes[0]! ^= 1;
          return `${header}.${payload}.${bytes.toString('base64url')}`;
        },
        'token_signature_invalid',
      ],
      [
        'alg HS256 keyed with the public key (algorithm confusion)',
        () => {
          const header = { ...decodeSegment(user.access_token, 0), alg: 'HS256' };
          const publicPem = deps.keys.signingKey.verificationKey.export({ type: 'spki', format: 'pem' });
          return forge(header, claims(), (input) => createHmac('sha256', publicPem).update(input).digest());
        },
        'token_alg_not_allowed',
      ],
      [
        'alg ES384 under our ES256 kid',
        () =>
          signRaw({ ...decodeSegment(user.access_token, 0), alg: 'ES384' }, claims(), deps.keys.signingKey),
        'token_alg_not_allowed',
      ],
      [
        'alg none, no signature',
        () => forge({ alg: 'none', typ: 'at+jwt' }, claims(), () => ''),
        'token_alg_not_allowed',
      ],
      [
        'alg none under our kid',
        () => forge({ ...decodeSegment(user.access_token, 0), alg: 'none' }, claims(), () => ''),
        'token_alg_not_allowed',
      ],
      [
        'a jwk header offering the attacker’s key',
        () => {
          const attacker = generateKey('ES256');
          const jwk = attacker.verificationKey.export({ format: 'jwk' });
          return signRaw({ alg: 'ES256', typ: 'at+jwt', jwk }, claims(), attacker);
        },
        'token_signature_invalid', // the header's key is ignored: verified against our own key, it fails
      ],
      [
        'a wrong typ (a plain JWT, not at+jwt)',
        () => signJwt(claims() as never, deps.keys.signingKey, { typ: 'JWT' }),
        'token_claim_invalid',
      ],
      [
        'a wrong audience',
        () => signJwt({ ...claims(), aud: 'another-api' } as never, deps.keys.signingKey, { typ: 'at+jwt' }),
        'token_claim_invalid',
      ],
      [
        'a wrong issuer',
        () =>
          signJwt({ ...claims(), iss: 'https://evil.example' } as never, deps.keys.signingKey, {
            typ: 'at+jwt',
          }),
        'token_claim_invalid',
      ],
      ['"abc"', () => 'abc', 'token_malformed'],
      ['"a.b"', () => 'a.b', 'token_malformed'],
      ['five parts (a JWE)', () => 'a.b.c.d.e', 'token_malformed'],
      ['three empty parts', () => '..', 'token_malformed'],
      [
        'a 20 KB token',
        () => `${user.access_token.split('.')[0]}.${'A'.repeat(20 * 1024)}.sig`,
        'token_too_large',
      ],
    ];

    it.each(cases)('%s', async (_label, makeToken, code) => {
      const token = makeToken();
      const response = await getSecure(bearer(token));
      expectProblem(response, 401, code, { instance: '/api/secure' });
      // The challenge and body never echo the token.
      expect(response.headers['www-authenticate']).not.toContain(token.slice(0, 20));
      expect(response.body).not.toContain(token.slice(-20));
    });

    it('accepts the token until exp + 30 s of tolerance, then answers token_expired', async () => {
      const ttl = deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds;
      deps.clock.advanceSeconds(ttl - 1);
      expect((await getSecure(bearer(user.access_token))).statusCode).toBe(200);
      deps.clock.advanceSeconds(1);
      expectProblem(await getSecure(bearer(user.access_token)), 401, 'token_expired');
    });

    it('does not serve a cached verification past expiry (token verified just before)', async () => {
      expect((await getSecure(bearer(user.access_token))).statusCode).toBe(200);
      deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds);
      expectProblem(await getSecure(bearer(user.access_token)), 401, 'token_expired');
    });

    it('refuses a token issued in the future beyond the skew', async () => {
      const now = Math.floor(deps.clock.now().getTime() / 1000);
      const future = { ...claims(), iat: now + 120, exp: now + 1020 };
      const response = await getSecure(
        bearer(signJwt(future as never, deps.keys.signingKey, { typ: 'at+jwt' })),
      );
      expectProblem(response, 401, 'token_not_yet_valid');
    });

    it('refuses a well-signed token without the roles claim', async () => {
      const { roles: _roles, ...rest } = claims();
      const response = await getSecure(
        bearer(signJwt(rest as never, deps.keys.signingKey, { typ: 'at+jwt' })),
      );
      expectProblem(response, 401, 'token_claim_invalid');
    });
  });

  describe('malformed credentials → 400 invalid_request with a challenge (RFC 6750 §3.1)', () => {
    // The rows shared with tessera/verify are in bearer-answers.test.ts; these are the server's own.
    it.each([
      ['the Basic scheme', 'Basic YWxpY2U6cGFzc3dvcmQ='],
      ['a bare token without a scheme', 'eyJhbGciOiJFUzI1NiJ9.e30.sig'],
      ['garbage', '!!!'],
    ])('%s is no Bearer credential: 401 with a bare challenge, not 400', async (_label, authorization) => {
      const response = await getSecure({ authorization });
      expectProblem(response, 401, 'unauthenticated', { bearerError: null });
    });

    it.each([
      ['Bearer with no token', 'Bearer', /carries no token/],
      ['Bearer with a space only', 'Bearer  ', /carries no token/],
      ['Bearer with two tokens', 'Bearer a.b.c d.e.f', /b64token/],
      ['a Bearer token with invalid characters', 'Bearer a.b.c"', /b64token/],
      ['a token with a comma', 'Bearer a,b', /b64token/],
    ])('%s', async (_label, authorization, detail) => {
      const response = await getSecure({ authorization });
      const body = expectProblem(response, 400, 'invalid_request', { bearerError: 'invalid_request' });
      expect(body.detail).toMatch(detail);
      expect(body.detail).not.toMatch(/must use the Bearer scheme/);
    });

    it('refuses two Authorization headers rather than guessing', async () => {
      const response = await getSecure({ authorization: [`Bearer ${user.access_token}`, 'Bearer other'] });
      expectProblem(response, 400, 'invalid_request', { bearerError: 'invalid_request' });
      expect(response.json<{ detail: string }>().detail).toMatch(/exactly one Authorization header/);
    });

    it('refuses two Authorization headers even when both carry the same valid token', async () => {
      const header = `Bearer ${user.access_token}`;
      expectProblem(await getSecure({ authorization: [header, header] }), 400, 'invalid_request', {
        bearerError: 'invalid_request',
      });
    });

    it.each([
      ['/api/secure?access_token=x'],
      ['/api/admin?access_token=x'],
      ['/auth/me?access_token=x'],
      ['/healthz?access_token=x'],
      ['/.well-known/jwks.json?access_token=x'],
      ['/no/such/route?access_token=x'],
      ['/api/secure?refresh_token=x'],
      ['/api/secure?token=x'],
      ['/api/secure?a=1&access_token='],
    ])('refuses a token in the query string on any route: GET %s', async (url) => {
      const response = await app.inject({ method: 'GET', url, headers: bearer(user.access_token) });
      expectProblem(response, 400, 'invalid_request', {
        bearerError: 'invalid_request',
        instance: url.split('?')[0],
      });
      expect(response.body).not.toContain('access_token=x');
    });

    it('refuses a token in the query string on POST routes too', async () => {
      const response = await app.inject({
        method: 'POST',
        url: `/auth/refresh?refresh_token=${user.refresh_token}`,
        payload: { refresh_token: user.refresh_token },
      });
      expectProblem(response, 400, 'invalid_request', { bearerError: 'invalid_request' });
      expect(response.body).not.toContain(user.refresh_token);
      // The refresh token was not consumed.
      expect((await postRefresh(app, user.refresh_token)).statusCode).toBe(200);
    });
  });

  describe('GET /api/admin', () => {
    it('answers 403 insufficient_scope with the RFC 6750 challenge to a user without the role', async () => {
      const response = await getSecure(bearer(user.access_token), '/api/admin');
      expectProblem(response, 403, 'insufficient_scope', { instance: '/api/admin' });
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer realm="tessera", error="insufficient_scope"/,
      );
    });

    it('answers 401 (not 403) without a credential', async () => {
      expectProblem(await getSecure({}, '/api/admin'), 401, 'unauthenticated', { bearerError: null });
    });

    it('lets the user in after setUserRoles and a refresh; the old access token still carries the old roles', async () => {
      await setUserRoles(deps, user.user.id, ['admin']);
      // Roles live in the access token: the token issued before the change still says "no admin".
      expectProblem(await getSecure(bearer(user.access_token), '/api/admin'), 403, 'insufficient_scope');

      const refreshed = await postRefresh(app, user.refresh_token);
      expect(refreshed.statusCode).toBe(200);
      const pair = refreshed.json<TokenBody>();
      expect(pair.user.roles).toEqual(['admin']);
      expect(decodeSegment(pair.access_token, 1).roles).toEqual(['admin']);

      const admin = await getSecure(bearer(pair.access_token), '/api/admin');
      expect(admin.statusCode).toBe(200);
      expect(admin.json()).toEqual({ message: expect.any(String), sub: user.user.id });
      expectProblem(await getSecure(bearer(user.access_token), '/api/admin'), 403, 'insufficient_scope');
    });

    it('takes the role away at the next refresh too', async () => {
      await setUserRoles(deps, user.user.id, ['admin']);
      const withAdmin = (await postRefresh(app, user.refresh_token)).json<TokenBody>();
      await setUserRoles(deps, user.user.id, []);
      const without = (await postRefresh(app, withAdmin.refresh_token)).json<TokenBody>();
      expectProblem(await getSecure(bearer(without.access_token), '/api/admin'), 403, 'insufficient_scope');
    });
  });

  describe('GET /auth/me', () => {
    it('answers the caller’s own user, never cached', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: bearer(user.access_token),
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toEqual({ user: user.user });
    });

    it('answers 401 without a token and 401 invalid_token with a bad one', async () => {
      expectProblem(await app.inject({ method: 'GET', url: '/auth/me' }), 401, 'unauthenticated', {
        bearerError: null,
      });
      expectProblem(
        await app.inject({ method: 'GET', url: '/auth/me', headers: bearer('abc') }),
        401,
        'token_malformed',
      );
    });

    it('answers 404 user_not_found once the user is deleted (the token still verifies)', async () => {
      await deps.stores.users.delete(user.user.id);
      const response = await app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: bearer(user.access_token),
      });
      expectProblem(response, 404, 'user_not_found');
    });
  });
});
