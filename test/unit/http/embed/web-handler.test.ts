import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/config/types.js';
import { createWebHandler, type TesseraWeb } from '../../../../src/http/embed/web-handler.js';
import { createTestDeps } from '../../../helpers/test-deps.js';

/** The Request/Response bridge: addresses, scheme and host, body limit, and the guard route's secret. */
describe('createWebHandler', () => {
  const opened: TesseraWeb[] = [];
  const open = async (config: Partial<Config> = {}, prefix = '/identity') => {
    const deps = await createTestDeps({ config });
    const web = await createWebHandler(deps, { prefix, close: async () => undefined });
    opened.push(web);
    return web;
  };
  afterEach(async () => {
    for (const web of opened.splice(0)) await web.close();
  });

  const register = (origin: string, email: string, headers: Record<string, string> = {}, query = '') =>
    new Request(`${origin}/identity/auth/register${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email, password: 'correct horse 1' }),
    });

  it('counts rate limits per client address, ignoring X-Forwarded-For unless trusted', async () => {
    const web = await open({
      rateLimits: {
        ...(await createTestDeps()).config.rateLimits,
        registerPerIp: { max: 1, windowSeconds: 60 },
      },
    });
    const spoofed = { 'x-forwarded-for': '203.0.113.9' };
    expect(
      (await web.handler(register('http://127.0.0.1', 'a@example.com'), { clientAddress: '192.0.2.1' }))
        .status,
    ).toBe(201);
    const again = await web.handler(register('http://127.0.0.1', 'b@example.com', spoofed), {
      clientAddress: '192.0.2.1',
    });
    expect(again.status).toBe(429);
    expect(await again.json()).toMatchObject({ code: 'rate_limited' });
    expect(
      (await web.handler(register('http://127.0.0.1', 'c@example.com'), { clientAddress: '192.0.2.2' }))
        .status,
    ).toBe(201);
  });

  it('takes the scheme and host from the Request URL: Secure prefixed cookies over https only', async () => {
    const web = await open();
    const plain = await web.handler(
      register('http://app.example.com', 'p@example.com', {}, '?delivery=cookie'),
    );
    expect(plain.status).toBe(201);
    expect(plain.headers.getSetCookie().some((line) => line.startsWith('tessera_at='))).toBe(true);
    const secure = await web.handler(
      register(
        'https://app.example.com',
        's@example.com',
        { origin: 'https://app.example.com' },
        '?delivery=cookie',
      ),
    );
    expect(secure.status).toBe(201);
    expect(secure.headers.getSetCookie().some((line) => line.startsWith('__Host-tessera_at='))).toBe(true);
    // A client's X-Forwarded-Proto does not make plain HTTP look secure.
    const forged = await web.handler(
      register(
        'http://app.example.com',
        'f@example.com',
        { 'x-forwarded-proto': 'https' },
        '?delivery=cookie',
      ),
    );
    expect(forged.headers.getSetCookie().some((line) => line.startsWith('tessera_at='))).toBe(true);
    // Another origin is refused, as by the standalone server.
    const crossOrigin = await web.handler(
      register(
        'https://app.example.com',
        'x@example.com',
        { origin: 'https://evil.example' },
        '?delivery=cookie',
      ),
    );
    expect(crossOrigin.status).toBe(403);
  });

  it('applies the body limit while reading the streamed body', async () => {
    const web = await open({ bodyLimitBytes: 1024 });
    const answer = await web.handler(
      new Request('http://127.0.0.1/identity/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(4096) }),
      }),
    );
    expect(answer.status).toBe(413);
    expect(await answer.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('answers paths outside the prefix with the not_found problem', async () => {
    const web = await open();
    const answer = await web.handler(new Request('http://127.0.0.1/elsewhere'));
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await answer.json()).toMatchObject({ code: 'not_found', instance: '/elsewhere' });
  });

  it('mounts at the root with the prefix ""', async () => {
    const web = await open({}, '');
    expect((await web.handler(new Request('http://127.0.0.1/healthz'))).status).toBe(200);
    expect(await (await web.handler(new Request('http://127.0.0.1/nope'))).json()).toMatchObject({
      code: 'not_found',
    });
  });

  it('never lets a request with a guessed secret reach the guard route', async () => {
    const web = await open();
    const answer = await web.handler(
      new Request('http://127.0.0.1/identity/nothing-here', { headers: { 'x-tessera-guard': 'guess' } }),
    );
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ code: 'not_found' });
  });

  it('authenticates with the original path and refuses without a credential or the role', async () => {
    const web = await open();
    const signedUp = await web.handler(register('http://127.0.0.1', 'r@example.com'));
    const { access_token: token } = (await signedUp.json()) as { access_token: string };
    const withToken = { headers: { authorization: `Bearer ${token}` } };

    const ok = await web.authenticate(new Request('http://127.0.0.1/api/orders', withToken));
    expect(ok.principal).toMatchObject({ kind: 'jwt', roles: [] });
    for (const method of ['HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const other = await web.authenticate(
        new Request('http://127.0.0.1/api/orders', { method, ...withToken }),
      );
      expect(other.principal, method).toMatchObject({ kind: 'jwt' });
    }
    const none = await web.authenticate(new Request('http://127.0.0.1/api/orders?x=1'));
    expect(none.response?.status).toBe(401);
    expect(await none.response!.json()).toMatchObject({ code: 'unauthenticated', instance: '/api/orders' });
    const noRole = await web.authenticate(new Request('http://127.0.0.1/api/reports', withToken), {
      roles: ['admin', 'a,b'],
    });
    expect(noRole.response?.status).toBe(403);
    expect(await noRole.response!.json()).toMatchObject({
      code: 'insufficient_scope',
      detail: expect.stringContaining('"admin"'),
    });
    await expect(web.authenticate(new Request('http://127.0.0.1/x'), { roles: [''] })).rejects.toThrow(
      TypeError,
    );
  });
});
