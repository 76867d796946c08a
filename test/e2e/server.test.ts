/**
 * End to end over real HTTP on loopback: the real app on a SQLite file, driven with global fetch.
 * Time is a fixed clock moved by hand, so the grace window and expiries need no sleeping.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { setUserRoles } from '../../src/flows/admin/roles.js';
import type { Deps } from '../../src/flows/deps.js';
import { buildApp } from '../../src/http/build-app.js';
import { createFixedClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';
import { createCheckedFetch } from '../helpers/openapi-conformance-recorder.js';
import { fastHasher, TEST_START, testConfig } from '../helpers/test-deps.js';

const PASSWORD = 'correct horse battery staple';

/** Every answer is checked against the server's /openapi.json. */
const checkedFetch = createCheckedFetch();

interface TestServer {
  url: string;
  deps: Deps & { clock: ReturnType<typeof createFixedClock> };
  app: FastifyInstance;
}

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | null;
}

interface TokenBody {
  user: { id: string; email: string; roles: string[] };
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  // Servers first (newest first), then the directories they wrote to.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-e2e-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The real app over a SQLite file and a fixed clock, listening on an ephemeral loopback port. */
async function startTestServer(config: Partial<Config> = {}): Promise<TestServer> {
  const dir = await tempDir();
  const clock = createFixedClock(TEST_START);
  const stores = await createSqliteStores({ path: join(dir, 'tessera.db'), clock });
  const deps = await createDeps({
    config: testConfig(config),
    stores,
    clock,
    random: cryptoRandom,
    logger: createSilentLogger(),
    hasher: fastHasher,
  });
  const app = await buildApp(deps);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(async () => {
    await app.close();
    await stores.close();
  });
  return { url, deps: { ...deps, clock }, app };
}

async function call(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await checkedFetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}

function tokens(reply: Reply): TokenBody {
  expect(reply.body).toMatchObject({
    token_type: 'Bearer',
    access_token: expect.any(String),
    refresh_token: expect.any(String),
  });
  return reply.body as unknown as TokenBody;
}

/** A 401/403 problem+json with the given code (and, for 401, a Bearer challenge). */
function expectProblem(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ status, code });
  if (status === 401) expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer /);
}

const register = async (url: string, email = 'ada@example.com') =>
  tokens(await call(url, 'POST', '/auth/register', { body: { email, password: PASSWORD } }));
const refreshWith = (url: string, refreshToken: string) =>
  call(url, 'POST', '/auth/refresh', { body: { refresh_token: refreshToken } });

describe('Tessera over HTTP (SQLite file, fixed clock)', () => {
  it('register → login → /api/secure → refresh → logout → the logged-out refresh token is refused', async () => {
    const { url } = await startTestServer();

    const registered = await call(url, 'POST', '/auth/register', {
      body: { email: 'Ada@Example.com', password: PASSWORD },
    });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('cache-control')).toBe('no-store');
    const first = tokens(registered);
    expect(first.user).toMatchObject({ email: 'ada@example.com', roles: [] });
    expect(first.expires_in).toBe(900);

    const loggedIn = await call(url, 'POST', '/auth/login', {
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(loggedIn.status).toBe(200);
    const session = tokens(loggedIn);
    expect(session.user.id).toBe(first.user.id);

    const secure = await call(url, 'GET', '/api/secure', { token: session.access_token });
    expect(secure.status).toBe(200);
    expect(secure.body).toMatchObject({ sub: first.user.id });

    const refreshed = await refreshWith(url, session.refresh_token);
    expect(refreshed.status).toBe(200);
    const rotated = tokens(refreshed);
    expect(rotated.refresh_token).not.toBe(session.refresh_token);
    expect((await call(url, 'GET', '/api/secure', { token: rotated.access_token })).status).toBe(200);

    const loggedOut = await call(url, 'POST', '/auth/logout', {
      token: rotated.access_token,
      body: { scope: 'local' },
    });
    expect(loggedOut.status).toBe(204);

    expectProblem(await refreshWith(url, rotated.refresh_token), 401, 'session_revoked');
    // The other session (from register) is untouched by a local logout.
    expect((await refreshWith(url, first.refresh_token)).status).toBe(200);
    // Stateless mode: the access token itself stays valid until exp.
    expect((await call(url, 'GET', '/api/secure', { token: rotated.access_token })).status).toBe(200);
  });

  it('without credentials /api/secure is 401 with a Bearer challenge', async () => {
    const { url } = await startTestServer();
    expectProblem(await call(url, 'GET', '/api/secure'), 401, 'unauthenticated');
    expectProblem(await call(url, 'GET', '/api/secure', { token: 'not-a-jwt' }), 401, 'token_malformed');
  });

  it('wrong password and unknown e-mail answer the same 401', async () => {
    const { url } = await startTestServer();
    await register(url);
    const wrong = await call(url, 'POST', '/auth/login', {
      body: { email: 'ada@example.com', password: 'wrong password' },
    });
    const unknown = await call(url, 'POST', '/auth/login', {
      body: { email: 'bob@example.com', password: PASSWORD },
    });
    expectProblem(wrong, 401, 'invalid_credentials');
    expectProblem(unknown, 401, 'invalid_credentials');
    const strip = (body: Record<string, unknown> | null) => ({ ...body, instance: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it('strict mode: after logout the access token is refused before exp (session_revoked)', async () => {
    const { url } = await startTestServer({ strictMode: true });
    const pair = await register(url);
    expect((await call(url, 'GET', '/api/secure', { token: pair.access_token })).status).toBe(200);
    expect((await call(url, 'POST', '/auth/logout', { token: pair.access_token, body: {} })).status).toBe(
      204,
    );
    const after = await call(url, 'GET', '/api/secure', { token: pair.access_token });
    expectProblem(after, 401, 'session_revoked');
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expectProblem(await refreshWith(url, pair.refresh_token), 401, 'session_revoked');
  });

  it('role-gated: /api/admin 403 → grant admin → the client refreshes → 200', async () => {
    const { url, deps } = await startTestServer();
    const pair = await register(url);

    const denied = await call(url, 'GET', '/api/admin', { token: pair.access_token });
    expectProblem(denied, 403, 'insufficient_scope');
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');

    await setUserRoles(deps, pair.user.id, ['admin']);
    // The old token still carries the old roles…
    expectProblem(
      await call(url, 'GET', '/api/admin', { token: pair.access_token }),
      403,
      'insufficient_scope',
    );
    // …the next one carries the new ones.
    const refreshed = tokens(await refreshWith(url, pair.refresh_token));
    expect(refreshed.user.roles).toEqual(['admin']);
    const allowed = await call(url, 'GET', '/api/admin', { token: refreshed.access_token });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ sub: pair.user.id });
  });

  it('20 concurrent refreshes with one token all get the same successor, and the family stays usable', async () => {
    const { url, deps } = await startTestServer();
    const pair = await register(url);

    const replies = await Promise.all(Array.from({ length: 20 }, () => refreshWith(url, pair.refresh_token)));
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    const successors = new Set(replies.map((r) => tokens(r).refresh_token));
    expect(successors.size).toBe(1);
    const [successor] = [...successors];
    // Twenty answers, one rotation.
    expect(await deps.stores.audit.list({ type: 'refresh' })).toHaveLength(1);
    expect(await deps.stores.audit.list({ type: 'refresh_reuse_detected' })).toHaveLength(0);

    deps.clock.advanceSeconds(60);
    const next = await refreshWith(url, successor!);
    expect(next.status).toBe(200);
    const nextPair = tokens(next);
    expect(nextPair.refresh_token).not.toBe(successor);
    expect((await call(url, 'GET', '/api/secure', { token: nextPair.access_token })).status).toBe(200);
    expect((await refreshWith(url, nextPair.refresh_token)).status).toBe(200);
  });

  it('a replay after the grace window kills the family, its newest token included', async () => {
    const { url, deps } = await startTestServer();
    const pair = await register(url);
    const second = tokens(await refreshWith(url, pair.refresh_token));

    // Inside the window (exactly 10 s): the same successor comes back.
    deps.clock.advanceSeconds(10);
    expect(tokens(await refreshWith(url, pair.refresh_token)).refresh_token).toBe(second.refresh_token);

    deps.clock.advanceSeconds(1); // 11 s after use: outside
    expectProblem(await refreshWith(url, pair.refresh_token), 401, 'refresh_token_reused');
    expectProblem(await refreshWith(url, second.refresh_token), 401, 'session_revoked');
    expectProblem(await refreshWith(url, pair.refresh_token), 401, 'session_revoked');

    const audit = await deps.stores.audit.list({ type: 'refresh_reuse_detected' });
    expect(audit).toEqual([expect.objectContaining({ userId: pair.user.id })]);
  });

  it('expiry follows the clock: the access token after 15 min (+ skew), the refresh token after 30 days', async () => {
    const { url, deps } = await startTestServer();
    const pair = await register(url);
    const { accessTokenTtlSeconds, clockToleranceSeconds, refreshTokenTtlSeconds } = deps.config;

    deps.clock.advanceSeconds(accessTokenTtlSeconds + clockToleranceSeconds - 1);
    expect((await call(url, 'GET', '/api/secure', { token: pair.access_token })).status).toBe(200);
    deps.clock.advanceSeconds(1);
    expectProblem(await call(url, 'GET', '/api/secure', { token: pair.access_token }), 401, 'token_expired');

    const renewed = tokens(await refreshWith(url, pair.refresh_token));
    expect((await call(url, 'GET', '/api/secure', { token: renewed.access_token })).status).toBe(200);

    deps.clock.set(new Date(TEST_START.getTime() + refreshTokenTtlSeconds * 1000));
    expectProblem(await refreshWith(url, renewed.refresh_token), 401, 'refresh_token_expired');
  });
});

describe('startServer(config): the real start-up path', () => {
  it('keeps users, keys and refresh tokens across a restart on the same SQLite file', async () => {
    const dir = await tempDir();
    const config = loadConfig({
      env: {
        TESSERA_PORT: '0',
        TESSERA_DATABASE_URL: `sqlite:${join(dir, 't.db')}`,
        TESSERA_LOG_LEVEL: 'silent',
      },
    });

    const jwksOf = async (server: RunningServer) => {
      const reply = await call(server.url, 'GET', '/.well-known/jwks.json');
      expect(reply.status).toBe(200);
      return reply.body as { keys: { kid: string; alg: string }[] };
    };

    const first = await startServer(config);
    cleanups.push(() => first.stop());
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pair = await register(first.url);
    const jwksBefore = await jwksOf(first);
    expect(jwksBefore.keys).toHaveLength(1);
    expect(jwksBefore.keys[0]).toMatchObject({ alg: 'ES256' });
    await first.stop();
    await first.stop(); // idempotent
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow(); // no longer listening

    const second = await startServer(config);
    cleanups.push(() => second.stop());
    const jwksAfter = await jwksOf(second);
    expect(jwksAfter.keys.map((k) => k.kid)).toEqual(jwksBefore.keys.map((k) => k.kid));

    const login = await call(second.url, 'POST', '/auth/login', {
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(tokens(login).user.id).toBe(pair.user.id);
    // A token signed before the restart still verifies, and the refresh token issued then still rotates
    // (the refresh derivation key was persisted too).
    expect((await call(second.url, 'GET', '/api/secure', { token: pair.access_token })).status).toBe(200);
    expect((await refreshWith(second.url, pair.refresh_token)).status).toBe(200);
  });
});
