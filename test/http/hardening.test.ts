import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { createTestApp } from '../helpers/test-deps.js';
import { EMAIL, PASSWORD, expectProblem, findCookie } from './http-kit.js';

/** Follow-ups from the HTTP review: display names, invisible characters, problem size, same-site CORS apps. */
describe('input hardening and same-site cookie apps', () => {
  let app: FastifyInstance;

  afterEach(async () => {
    await app.close();
  });

  async function start(config: Partial<Config> = {}): Promise<void> {
    ({ app } = await createTestApp({ config }));
  }

  it.each(['Ada\nLovelace', 'Ada\r\nSet-Cookie: x=1', 'Ada\u0000', 'tab\there', 'del\u007f'])(
    'refuses a display name with control characters (%j) and creates no user',
    async (name) => {
      await start();
      const response = await app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: EMAIL, password: PASSWORD, name },
      });
      expectProblem(response, 400, 'invalid_request');
      const login = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: EMAIL, password: PASSWORD },
      });
      expect(login.statusCode).toBe(401);
    },
  );

  it('accepts an ordinary display name, including non-Latin letters', async () => {
    await start();
    const response = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: EMAIL, password: PASSWORD, name: 'Ада Лавлейс 李' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().user.name).toBe('Ада Лавлейс 李');
  });

  it.each([
    'abc\u202edef@example.com',
    'a\u200bb@example.com',
    'ab@exa\u2066mple.com',
    'a\ud800b@example.com',
  ])(
    "refuses e-mails with invisible formatting characters or lone surrogates (%j) as 'invalid_email'",
    async (email) => {
      await start();
      const response = await app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email, password: PASSWORD },
      });
      expectProblem(response, 400, 'invalid_email');
    },
  );

  it('caps the problem instance at 256 characters so a long URL cannot inflate the error body', async () => {
    await start();
    const response = await app.inject({ method: 'GET', url: `/${'a'.repeat(10_000)}` });
    const body = expectProblem(response, 404, 'not_found', { instance: `/${'a'.repeat(255)}` });
    expect(String(body.instance)).toHaveLength(256);
    expect(response.body.length).toBeLessThan(1_000);
  });

  describe('an app on a configured sibling origin (Sec-Fetch-Site: same-site)', () => {
    const appOrigin = 'https://app.example.com';

    async function cookieLogin(headers: Record<string, string>) {
      return app.inject({
        method: 'POST',
        url: '/auth/login?delivery=cookie',
        headers: { host: '127.0.0.1', ...headers },
        payload: { email: EMAIL, password: PASSWORD },
      });
    }

    it('may sign in with cookies when its origin is listed in corsOrigins', async () => {
      await start({ corsOrigins: [appOrigin] });
      await app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: EMAIL, password: PASSWORD },
      });
      const response = await cookieLogin({ origin: appOrigin, 'sec-fetch-site': 'same-site' });
      expect(response.statusCode, response.body).toBe(200);
      expect(findCookie(response, '__Host-tessera_at')).toBeDefined();
    });

    it("is refused with 'csrf_rejected' when its origin is not listed, or when the request is cross-site", async () => {
      await start({ corsOrigins: [appOrigin] });
      await app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: EMAIL, password: PASSWORD },
      });
      expectProblem(
        await cookieLogin({ origin: 'https://evil.example.com', 'sec-fetch-site': 'same-site' }),
        403,
        'csrf_rejected',
      );
      expectProblem(
        await cookieLogin({ origin: appOrigin, 'sec-fetch-site': 'cross-site' }),
        403,
        'csrf_rejected',
      );
      expectProblem(await cookieLogin({ 'sec-fetch-site': 'same-site' }), 403, 'csrf_rejected');
    });
  });
});
