import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import {
  EMAIL,
  PASSWORD,
  bearer,
  expectProblem,
  postLogin,
  registerUser,
  type TokenBody,
} from './http-kit.js';

describe('POST /auth/register', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
  });
  afterEach(async () => {
    await app.close();
  });

  const post = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/auth/register', payload: payload as object });

  it('answers 201 with the user and a token pair, never cached', async () => {
    const response = await post({ email: EMAIL, password: PASSWORD, name: '  Alice  ' });
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    const body = response.json<TokenBody>();
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'token_type',
      'user',
    ]);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(deps.config.accessTokenTtlSeconds);
    expect(body.access_token.split('.')).toHaveLength(3);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(body.user).toEqual({
      id: expect.any(String),
      email: EMAIL,
      name: 'Alice',
      roles: [],
      email_verified: false,
      created_at: deps.clock.now().toISOString(),
    });
    // The body never carries the hash or lockout internals.
    expect(response.body).not.toMatch(/argon2|password|failed|locked/i);
  });

  it('issues an access token that works right away', async () => {
    const body = await registerUser(app);
    const secure = await app.inject({
      method: 'GET',
      url: '/api/secure',
      headers: bearer(body.access_token),
    });
    expect(secure.statusCode).toBe(200);
    expect(secure.json()).toMatchObject({ sub: body.user.id });
  });

  it('normalises the e-mail (trim, case) and refuses the same address again with 409 email_taken', async () => {
    const first = await post({ email: '  Alice@Example.COM ', password: PASSWORD });
    expect(first.statusCode).toBe(201);
    expect(first.json<TokenBody>().user.email).toBe(EMAIL);

    for (const variant of [EMAIL, 'ALICE@EXAMPLE.COM', ' alice@example.com\t']) {
      expectProblem(await post({ email: variant, password: 'another password' }), 409, 'email_taken');
    }
    const users = await deps.stores.users.list();
    expect(users).toHaveLength(1);
    // The duplicate attempts neither changed the password nor opened sessions.
    expect((await postLogin(app, EMAIL, PASSWORD)).statusCode).toBe(200);
    expect((await postLogin(app, EMAIL, 'another password')).statusCode).toBe(401);
  });

  it('normalises the e-mail to NFC, so two spellings of the same address are one account', async () => {
    expect((await post({ email: 'jose\u0301@example.com', password: PASSWORD })).statusCode).toBe(201);
    expectProblem(await post({ email: 'jos\u00e9@example.com', password: PASSWORD }), 409, 'email_taken');
  });

  describe('mass assignment', () => {
    it.each([
      ['roles', { roles: ['admin'] }],
      ['admin', { admin: true }],
      ['role', { role: 'admin' }],
      ['id', { id: 'chosen-id' }],
      ['disabled', { disabled: false }],
      ['password_hash', { password_hash: '$argon2id$v=19$m=1024,t=1,p=1$x$y' }],
      ['an unknown member', { favourite_colour: 'blue' }],
    ])('refuses %s with 400 invalid_request and creates no user', async (_label, extra) => {
      const body = expectProblem(
        await post({ email: EMAIL, password: PASSWORD, ...extra }),
        400,
        'invalid_request',
      );
      expect(body.detail).toMatch(/^Unknown body member/);
      expect(await deps.stores.users.list()).toEqual([]);
      expect((await postLogin(app)).statusCode).toBe(401);
    });

    it('never grants roles: a registered user has none and cannot reach /api/admin', async () => {
      const body = await registerUser(app);
      expect(body.user.roles).toEqual([]);
      const stored = await deps.stores.users.findByEmail(EMAIL);
      expect(stored?.roles).toEqual([]);
      const admin = await app.inject({
        method: 'GET',
        url: '/api/admin',
        headers: bearer(body.access_token),
      });
      expectProblem(admin, 403, 'insufficient_scope');
    });
  });

  describe('password policy (NIST SP 800-63B: 8 to 128 characters, no truncation)', () => {
    it('refuses 7 characters with weak_password', async () => {
      const body = expectProblem(await post({ email: EMAIL, password: '1234567' }), 400, 'weak_password');
      expect(body.detail).toContain('at least 8');
      expect(await deps.stores.users.list()).toEqual([]);
    });

    it('counts code points, not UTF-16 units: 7 emoji are too short', async () => {
      expectProblem(await post({ email: EMAIL, password: '😀'.repeat(7) }), 400, 'weak_password');
      expect((await post({ email: EMAIL, password: '😀'.repeat(8) })).statusCode).toBe(201);
    });

    it.each([8, 64, 128])('accepts %i characters and signs in with them', async (length) => {
      const password = 'p'.repeat(length - 1) + 'Z';
      expect((await post({ email: EMAIL, password })).statusCode).toBe(201);
      expect((await postLogin(app, EMAIL, password)).statusCode).toBe(200);
    });

    it('refuses 129 characters with weak_password (not a schema error, not a truncation)', async () => {
      const body = expectProblem(
        await post({ email: EMAIL, password: 'p'.repeat(129) }),
        400,
        'weak_password',
      );
      expect(body.detail).toContain('at most 128');
      expect(await deps.stores.users.list()).toEqual([]);
    });

    it('refuses a password past the schema cap before hashing it', async () => {
      expectProblem(await post({ email: EMAIL, password: 'p'.repeat(1025) }), 400, 'invalid_request');
    });

    it('hashes the whole password: its first 72 characters (the bcrypt cut) do not sign in', async () => {
      const password = 'abcdefghij'.repeat(10);
      expect((await post({ email: EMAIL, password })).statusCode).toBe(201);
      expectProblem(await postLogin(app, EMAIL, password.slice(0, 72)), 401, 'invalid_credentials');
      expectProblem(await postLogin(app, EMAIL, password.slice(0, 99)), 401, 'invalid_credentials');
      expect((await postLogin(app, EMAIL, password)).statusCode).toBe(200);
    });

    // argon2 hashes the UTF-8 bytes, and UTF-8 cannot encode a lone surrogate: each one became U+FFFD,
    // so "\ud800" × 8, "\udfff" × 8 and "\ufffd" × 8 were one password. A silent change of the password,
    // as truncation is; refused at the policy instead.
    it('refuses a password that is not well-formed Unicode (lone surrogates would collide)', async () => {
      const body = expectProblem(
        await post({ email: EMAIL, password: '\ud800'.repeat(8) }),
        400,
        'weak_password',
      );
      expect(body.detail).not.toContain('\ud800');
      expectProblem(await post({ email: EMAIL, password: `correct horse\udc00` }), 400, 'weak_password');
      expect(await deps.stores.users.list()).toEqual([]);
    });

    it('accepts astral characters written as proper surrogate pairs', async () => {
      const password = '🔐🗝️ correct horse';
      expect((await post({ email: EMAIL, password })).statusCode).toBe(201);
      expect((await postLogin(app, EMAIL, password)).statusCode).toBe(200);
      expectProblem(await postLogin(app, EMAIL, '\ufffd\ufffd correct horse'), 401, 'invalid_credentials');
    });

    it('does not trim the password', async () => {
      expect((await post({ email: EMAIL, password: ` ${PASSWORD} ` })).statusCode).toBe(201);
      expectProblem(await postLogin(app, EMAIL, PASSWORD), 401, 'invalid_credentials');
      expect((await postLogin(app, EMAIL, ` ${PASSWORD} `)).statusCode).toBe(200);
    });
  });

  describe('e-mail shape (src/flows/auth/email-address.ts: one @, a dotted domain, no spaces or control characters)', () => {
    it.each([
      ['no @', 'alice.example.com'],
      ['two @', 'alice@bob@example.com'],
      ['an empty local part', '@example.com'],
      ['no dot in the domain', 'alice@localhost'],
      ['a space inside', 'alice smith@example.com'],
      ['the SQL injection string', "a@b.c' OR 1=1 --"],
      ['a tab inside', 'alice\t@example.com'],
      ['a CRLF (header injection)', 'alice@example.com\r\nBcc: x@y.z'],
      ['a NUL', 'alice\u0000@example.com'],
      ['a DEL control character', 'alice\u007f@example.com'],
      ['255 characters', `${'a'.repeat(243)}@example.com`],
    ])('refuses %s with 400 invalid_email', async (_label, email) => {
      expectProblem(await post({ email, password: PASSWORD }), 400, 'invalid_email');
      expect(await deps.stores.users.list()).toEqual([]);
    });

    it('accepts an address of exactly 254 characters', async () => {
      const email = `${'a'.repeat(242)}@example.com`;
      expect(email).toHaveLength(254);
      expect((await post({ email, password: PASSWORD })).statusCode).toBe(201);
    });

    it('stores a quote-bearing address verbatim (parameterised storage; the rule only bars spaces)', async () => {
      const email = "o'brien@example.com";
      const response = await post({ email, password: PASSWORD });
      expect(response.statusCode).toBe(201);
      expect(response.json<TokenBody>().user.email).toBe(email);
      expect((await postLogin(app, email, PASSWORD)).statusCode).toBe(200);
    });

    it('refuses an address past the schema cap as a request-shape error', async () => {
      expectProblem(
        await post({ email: `${'a'.repeat(320)}@x.io`, password: PASSWORD }),
        400,
        'invalid_request',
      );
    });
  });

  describe('request shape', () => {
    it.each([
      ['no body', undefined],
      ['no password', { email: EMAIL }],
      ['no email', { password: PASSWORD }],
      ['an array', [EMAIL, PASSWORD]],
      ['email as a number', { email: 123, password: PASSWORD }],
      ['password as an array', { email: EMAIL, password: [PASSWORD] }],
      ['name as an object', { email: EMAIL, password: PASSWORD, name: { first: 'A' } }],
      ['a 201-character name', { email: EMAIL, password: PASSWORD, name: 'n'.repeat(201) }],
    ])('refuses %s with 400 invalid_request', async (_label, payload) => {
      expectProblem(await post(payload), 400, 'invalid_request');
      expect(await deps.stores.users.list()).toEqual([]);
    });

    it('stores a blank name as null', async () => {
      const response = await post({ email: EMAIL, password: PASSWORD, name: '   ' });
      expect(response.json<TokenBody>().user.name).toBeNull();
    });
  });
});
