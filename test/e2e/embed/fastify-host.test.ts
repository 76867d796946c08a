import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { tessera, type TesseraRuntime } from '../../../src/index.js';
import { EMBED_CONFIG, embedRuntime, runCookieFlow, runSeedFlow } from './embed-kit.js';

/** The host app of docs/embedding.md ("Fastify"), with the test's runtime (movable clock, fast hasher). */
async function createHostApp(prefix: string, runtime: TesseraRuntime): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(tessera({ prefix, config: EMBED_CONFIG }, runtime));

  app.get('/public', async () => ({ hello: 'world' }));
  app.get('/api/orders', { preHandler: app.tessera.requireAuth }, async (request) => ({
    orders: [],
    user: request.principal!.userId,
  }));
  app.post('/api/orders', { preHandler: app.tessera.requireAuth }, async (request, reply) =>
    reply.code(201).send({ created: true, user: request.principal!.userId }),
  );
  app.get('/api/reports', { preHandler: app.tessera.requireRoles('admin') }, async () => ({ reports: [] }));
  return app;
}

describe('Tessera as a Fastify plugin inside a host app, over loopback', () => {
  const apps: FastifyInstance[] = [];
  const start = async (prefix: string, runtime: TesseraRuntime) => {
    const app = await createHostApp(prefix, runtime);
    apps.push(app);
    return app.listen({ host: '127.0.0.1', port: 0 });
  };
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  it.each([['/identity'], ['']])(
    'runs the seed flow with the prefix "%s"',
    async (prefix) => {
      const runtime = embedRuntime();
      await runSeedFlow(await start(prefix, runtime), prefix, runtime.clock);
    },
    60_000,
  );

  it.each([['/identity'], ['']])(
    'runs the cookie + CSRF mode with the prefix "%s"',
    async (prefix) => {
      await runCookieFlow(await start(prefix, embedRuntime()), prefix);
    },
    60_000,
  );

  it("accepts a session-mode token on the host's routes", async () => {
    const origin = await start('/identity', embedRuntime());
    const json = { 'content-type': 'application/json' };
    const credentials = JSON.stringify({ email: 'session@example.com', password: 'correct horse 1' });
    const post = (path: string) =>
      fetch(`${origin}${path}`, { method: 'POST', headers: json, body: credentials });
    expect((await post('/identity/auth/register')).status).toBe(201);
    const login = await post('/identity/auth/login?mode=session');
    const { session_token: token } = (await login.json()) as { session_token: string };
    const orders = await fetch(`${origin}/api/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(orders.status).toBe(200);
    await fetch(`${origin}/identity/auth/logout`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: '{}',
    });
    const afterLogout = await fetch(`${origin}/api/orders`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(afterLogout.status).toBe(401);
  }, 60_000);

  it("keeps Tessera's hooks, parsers and error answers off the host's other routes", async () => {
    const app = await createHostApp('/identity', embedRuntime());
    apps.push(app);
    app.post('/echo', async (request) => ({ got: request.body }));
    await app.ready();

    const hostRoute = await app.inject({ method: 'GET', url: '/public' });
    expect(hostRoute.headers['content-security-policy']).toBeUndefined();
    const tesseraRoute = await app.inject({ method: 'GET', url: '/identity/healthz' });
    expect(tesseraRoute.statusCode).toBe(200);
    expect(tesseraRoute.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );

    // The host keeps its text/plain parser; Tessera's routes refuse such bodies (a cross-site <form>).
    const text = { 'content-type': 'text/plain' };
    expect((await app.inject({ method: 'POST', url: '/echo', headers: text, payload: 'hi' })).json()).toEqual(
      {
        got: 'hi',
      },
    );
    const refused = await app.inject({
      method: 'POST',
      url: '/identity/auth/login',
      headers: text,
      payload: 'x',
    });
    expect(refused.statusCode).toBe(415);
    expect(refused.json()).toMatchObject({ code: 'unsupported_media_type' });

    // Unknown paths under the prefix are Tessera's problems; elsewhere, the host's own 404.
    expect((await app.inject({ method: 'GET', url: '/identity/nope' })).json()).toMatchObject({
      code: 'not_found',
    });
    expect((await app.inject({ method: 'GET', url: '/nope' })).json()).not.toHaveProperty(
      'code',
      'not_found',
    );
    // Query-string tokens are refused on Tessera's routes only.
    expect((await app.inject({ method: 'GET', url: '/identity/healthz?access_token=x' })).statusCode).toBe(
      400,
    );
    expect((await app.inject({ method: 'GET', url: '/public?token=x' })).statusCode).toBe(200);
  });

  it('applies the configured body limit to its own routes, not the host server limit', async () => {
    const app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
    apps.push(app);
    await app.register(tessera({ config: { ...EMBED_CONFIG, bodyLimitBytes: 1024 } }, embedRuntime()));
    const big = await app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(2048) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'payload_too_large' });
  });

  // Fastify's own defaults (removeAdditional, coerceTypes, useDefaults) and the strictest a host may
  // choose: Tessera's schemas answer the same way under each, with Tessera's validator.
  it.each([
    ['Fastify defaults', {}],
    ['a host that removes every unknown member', { removeAdditional: 'all', coerceTypes: 'array' }],
  ] as const)(
    'refuses unknown body members as the standalone server does, under %s',
    async (_name, options) => {
      const app = Fastify({ ajv: { customOptions: options } });
      apps.push(app);
      await app.register(tessera({ config: EMBED_CONFIG }, embedRuntime()));
      const echoSchema = {
        type: 'object',
        properties: { count: { type: 'integer' } },
        additionalProperties: false,
      };
      app.post('/host/echo', { schema: { body: echoSchema } }, async (request) => request.body);
      const member = await app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: 'new@example.com', password: 'correct horse 1', roles: ['admin'] },
      });
      expect(member.statusCode).toBe(400);
      expect(member.json()).toMatchObject({
        code: 'invalid_request',
        detail: 'Unknown body member "roles".',
      });
      // Not coerced either: a number where the schema says string is refused, not turned into "123…".
      const coerced = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: 'new@example.com', password: 123456789012 },
      });
      expect(coerced.statusCode).toBe(400);
      expect(coerced.json()).toMatchObject({ code: 'invalid_request' });
      // The host's own routes keep the host's validator: its options still remove and coerce there.
      const host = await app.inject({ method: 'POST', url: '/host/echo', payload: { count: '5', extra: 1 } });
      expect(host.statusCode).toBe(200);
      expect(host.json()).toEqual({ count: 5 });
    },
  );

  it.each([['identity'], ['/identity/'], ['/a b'], ['/../x'], ['/.'], ['/a/..']])(
    'refuses the prefix %j',
    (prefix) => {
      expect(() => tessera({ prefix })).toThrow(TypeError);
    },
  );

  it('refuses a bad setting when called, naming it, before the host starts', () => {
    expect(() => tessera({ config: { accessTokenTtlSeconds: 'soon' } })).toThrow(ConfigError);
    expect(() => tessera({ config: { acessTokenTtlSeconds: 60 } })).toThrow(
      /did you mean "accessTokenTtlSeconds"/,
    );
    expect(() => tessera({ env: { TESSERA_ALGORITHM: 'none' } })).toThrow(/TESSERA_ALGORITHM/);
  });

  it('refuses requireRoles without a role name', async () => {
    const app = await createHostApp('', embedRuntime());
    apps.push(app);
    expect(() => app.tessera.requireRoles()).toThrow(TypeError);
    expect(() => app.tessera.requireRoles('')).toThrow(TypeError);
  });
});
