import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTesseraClient, TesseraError } from '../../src/client/index.js';
import { createCheckedFetch } from '../helpers/openapi-conformance-recorder.js';
import { createTestApp, TEST_START, type TestDeps } from '../helpers/test-deps.js';

/** Every answer the SDK receives is checked against the server's /openapi.json. */
const checkedFetch = createCheckedFetch();
import { createFakeClock } from '../unit/client/fake-clock.js';

/**
 * The SDK in Node 20 against a real Tessera listening on loopback: the Node path (memory strategy,
 * refresh token in the body), real tokens, real rotation. The SDK's clock is a fake one pinned to the
 * server's fixed clock, so its timers never fire: every refresh here is explicit or reactive.
 */
const EMAIL = 'node-sdk@example.com';
const PASSWORD = 'correct horse battery';

describe('tessera/client in Node against a real server', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let baseUrl: string;
  let refreshCalls: number;
  const clients: Array<{ dispose(): void }> = [];

  const open = (options: Parameters<typeof createTesseraClient>[0] = {}) => {
    const client = createTesseraClient<{ roles: string[] }>({
      baseUrl,
      clock: createFakeClock(TEST_START.getTime()),
      fetch: (input, init) => {
        if (String(input instanceof Request ? input.url : input).includes('/auth/refresh')) refreshCalls += 1;
        return checkedFetch(input, init);
      },
      ...options,
    });
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    refreshCalls = 0;
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.dispose();
    await app.close();
  });

  it('registers, reads the user, calls a protected API, and signs out', async () => {
    const client = open();
    const state = await client.register({ email: EMAIL, password: PASSWORD, name: 'Node' });
    expect(state).toMatchObject({ status: 'signed-in', mode: 'jwt', user: { email: EMAIL, name: 'Node' } });
    if (state.status !== 'signed-in') throw new Error('unreachable');
    expect(state.claims).toMatchObject({ sub: state.user!.id, roles: [], client_id: 'tessera' });
    expect((await client.me()).email).toBe(EMAIL);
    const secure = await client.fetch(`${baseUrl}/api/secure`);
    expect(secure.status).toBe(200);
    const [session] = await client.sessions.list();
    expect(session).toMatchObject({ kind: 'jwt', current: true });

    await client.logout();
    expect(client.getState()).toEqual({ status: 'signed-out' });
    const anonymous = await client.fetch(`${baseUrl}/api/secure`);
    expect(anonymous.status).toBe(401);
  });

  /** @see issue 12: `auth.fetch('/api/orders')` failed with network_error although baseUrl was set. */
  it("client.fetch('/path') goes to baseUrl's origin with Node's own fetch, credential added", async () => {
    const client = createTesseraClient({ baseUrl, clock: createFakeClock(TEST_START.getTime()) });
    clients.push(client);
    const state = await client.register({ email: EMAIL, password: PASSWORD });
    if (state.status !== 'signed-in') throw new Error('unreachable');
    const secure = await client.fetch('/api/secure');
    expect(secure.status).toBe(200);
    expect(await secure.json()).toMatchObject({ sub: state.user!.id });
  });

  it('an access token the server sees as expired is refreshed once and the request retried', async () => {
    const client = open();
    await client.register({ email: EMAIL, password: PASSWORD });
    const first = client.getAccessToken();
    deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds + 60);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => client.fetch(`${baseUrl}/api/secure`)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(refreshCalls).toBe(1);
    expect(client.getAccessToken()).not.toBe(first);
  });

  it('reports server errors with the registry code', async () => {
    const client = open();
    const failure = await client
      .login({ email: EMAIL, password: 'wrong password!' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TesseraError);
    expect(failure).toMatchObject({ code: 'invalid_credentials', status: 401 });
    expect(client.getState().status).toBe('signed-out');
  });

  it('a revoked session makes the refresh a definite rejection: the client signs out', async () => {
    const client = open();
    await client.register({ email: EMAIL, password: PASSWORD });
    const other = open();
    await other.login({ email: EMAIL, password: PASSWORD });
    await other.logout({ scope: 'global' });
    await expect(client.refresh()).rejects.toMatchObject({ status: 401 });
    expect(client.getState().status).toBe('signed-out');
  });

  it('session mode: the opaque session token as Bearer, and a network failure keeps the session', async () => {
    const client = open({ mode: 'session' });
    const state = await client.register({ email: EMAIL, password: PASSWORD });
    expect(state).toMatchObject({ status: 'signed-in', mode: 'session', claims: null });
    expect(client.getAccessToken()).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
    expect((await client.me()).email).toBe(EMAIL);
    await client.logout();
    expect(client.getState().status).toBe('signed-out');
  });

  it('offline: a refresh fails with network_error and keeps the user signed in', async () => {
    const client = open();
    await client.register({ email: EMAIL, password: PASSWORD });
    await app.close();
    await expect(client.refresh()).rejects.toMatchObject({ code: 'network_error', status: 0 });
    expect(client.getState().status).toBe('signed-in');
    ({ app, deps } = await createTestApp()); // afterEach closes something
  });
});

describe('tessera/client against a server whose default login mode is session', () => {
  it('a JWT client still gets a JWT pair (the mode is always explicit)', async () => {
    const { app } = await createTestApp({ config: { defaultLoginMode: 'session' } });
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const client = createTesseraClient({ baseUrl, clock: createFakeClock(TEST_START.getTime()) });
    try {
      await client.register({ email: EMAIL, password: PASSWORD });
      const state = await client.login({ email: EMAIL, password: PASSWORD });
      expect(state).toMatchObject({ status: 'signed-in', mode: 'jwt' });
      expect(client.getAccessToken()?.split('.')).toHaveLength(3);
    } finally {
      client.dispose();
      await app.close();
    }
  });
});
