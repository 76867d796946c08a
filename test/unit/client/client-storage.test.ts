import { describe, expect, it } from 'vitest';
import { createTesseraClient } from '../../../src/client/index.js';
import { settle } from './fake-clock.js';
import { createFakeStorage } from './fake-tabs.js';
import { CREDENTIALS, createHarness } from './client-kit.js';

describe.each(['localStorage', 'sessionStorage'] as const)('%s strategy', (storage) => {
  it('persists the tokens so a reload restores the session', async () => {
    const webStorage = createFakeStorage();
    const { client, open, server } = createHarness({ storage, webStorage });
    await client.login(CREDENTIALS);
    expect(webStorage.entries.has('tessera.auth')).toBe(true);
    const reloaded = open();
    const events: string[] = [];
    reloaded.onAuthChange((_state, event) => events.push(event));
    await reloaded.ready;
    await settle();
    expect(reloaded.getAccessToken()).toBe(client.getAccessToken());
    expect(events).toEqual(['restored']);
    expect(server.count('/auth/refresh')).toBe(0);
    reloaded.dispose();
    client.dispose();
  });

  it('a reload after exp refreshes during restore, before `ready` settles', async () => {
    const webStorage = createFakeStorage();
    const { client, clock, open, server } = createHarness({ storage, webStorage });
    await client.login(CREDENTIALS);
    client.dispose();
    await clock.advance(900_000);
    const reloaded = open();
    await reloaded.ready;
    expect(server.count('/auth/refresh')).toBe(1);
    expect((await reloaded.fetch('http://tessera.test/api/data')).status).toBe(200);
    reloaded.dispose();
  });

  it('logout clears the entry', async () => {
    const webStorage = createFakeStorage();
    const { client } = createHarness({ storage, webStorage });
    await client.login(CREDENTIALS);
    await client.logout();
    expect(webStorage.entries.size).toBe(0);
    client.dispose();
  });

  it.each([
    ['not JSON', '{oops'],
    ['an array', '[]'],
    [
      'an unknown mode',
      JSON.stringify({
        mode: 'magic',
        bearer: 'x',
        refreshToken: null,
        expiresAt: null,
        user: null,
        csrfToken: null,
      }),
    ],
    [
      'a numeric token',
      JSON.stringify({
        mode: 'jwt',
        bearer: 42,
        refreshToken: null,
        expiresAt: null,
        user: null,
        csrfToken: null,
      }),
    ],
  ])('reads %s in storage as signed out', async (_label, text) => {
    const webStorage = createFakeStorage();
    webStorage.entries.set('tessera.auth', text);
    const { client } = createHarness({ storage, webStorage });
    await client.ready;
    expect(client.getState()).toEqual({ status: 'signed-out' });
    client.dispose();
  });

  it('keeps working from memory when the storage throws (quota, private mode)', async () => {
    const webStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const { client } = createHarness({ storage, webStorage });
    await client.login(CREDENTIALS);
    expect(client.getState().status).toBe('signed-in');
    client.dispose();
  });
});

describe('memory strategy', () => {
  it('with the refresh token in a cookie: access token in memory, restore through the refresh cookie', async () => {
    const { client, open, server } = createHarness({ refreshTokenIn: 'cookie' });
    await client.login(CREDENTIALS);
    const login = server.requests.find((r) => r.path === '/auth/login')!;
    expect(login.query.get('delivery')).toBe('refresh_cookie');
    expect(client.getAccessToken()).not.toBeNull();
    expect(server.jar.refresh).toBeDefined();

    const csrfCookie = server.jar.csrf;
    const reloaded = open();
    await reloaded.ready;
    const refresh = server.requests.find((r) => r.path === '/auth/refresh')!;
    expect(refresh.query.get('delivery')).toBe('refresh_cookie');
    expect(refresh.headers.get('x-csrf-token')).toBe(csrfCookie);
    expect(refresh.body).toBe('{}');
    expect(reloaded.getState()).toMatchObject({ status: 'signed-in', user: { email: CREDENTIALS.email } });

    await reloaded.logout();
    const logout = server.requests.find((r) => r.path === '/auth/logout')!;
    expect(logout.query.get('delivery')).toBe('refresh_cookie');
    reloaded.dispose();
    client.dispose();
  });

  it('with no CSRF cookie there is nothing to restore, and no request is made', async () => {
    const { client, server } = createHarness({ refreshTokenIn: 'cookie' });
    await client.ready;
    expect(server.requests).toHaveLength(0);
    expect(client.getState().status).toBe('signed-out');
    client.dispose();
  });

  it('with the refresh token in the body (the Node path), nothing survives the instance', async () => {
    const { client, open, server } = createHarness({ refreshTokenIn: 'body' });
    await client.login(CREDENTIALS);
    expect(server.requests[0]!.query.get('delivery')).toBe('body');
    const other = open();
    await other.ready;
    expect(other.getState().status).toBe('signed-out');
    other.dispose();
    client.dispose();
  });
});

describe('cookie strategy', () => {
  it('never sees a token, sends the CSRF header on unsafe requests, and restores with /auth/me', async () => {
    const { client, open, server } = createHarness({ storage: 'cookie' });
    const state = await client.login(CREDENTIALS);
    expect(server.requests[0]!.query.get('delivery')).toBe('cookie');
    expect(client.getAccessToken()).toBeNull();
    expect(state).toMatchObject({ status: 'signed-in', claims: null });

    const post = await client.fetch('http://tessera.test/api/data', { method: 'POST', body: 'x' });
    expect(post.status).toBe(200);
    const sent = server.requests.at(-1)!;
    expect(sent.headers.get('authorization')).toBeNull();
    expect(sent.headers.get('x-csrf-token')).toBe(server.jar.csrf);
    await client.fetch('http://tessera.test/api/data');
    expect(server.requests.at(-1)!.headers.get('x-csrf-token')).toBeNull();

    const reloaded = open();
    await reloaded.ready;
    expect(server.requests.at(-1)!.path).toBe('/auth/me');
    expect(reloaded.getState()).toMatchObject({ status: 'signed-in', user: { email: CREDENTIALS.email } });
    reloaded.dispose();
    client.dispose();
  });

  it('a lapsed access cookie is renewed through the refresh cookie, then the request is retried', async () => {
    const { client, server } = createHarness({ storage: 'cookie', refreshLeewaySeconds: 0 });
    await client.login(CREDENTIALS);
    delete server.jar.access; // the browser dropped it at Max-Age
    const response = await client.fetch('http://tessera.test/api/data');
    expect(response.status).toBe(200);
    expect(server.count('/auth/refresh')).toBe(1);
    client.dispose();
  });

  it('session mode uses the session cookie and does not refresh', async () => {
    const { client, server } = createHarness({ storage: 'cookie', mode: 'session' });
    await client.login(CREDENTIALS);
    expect(server.requests[0]!.query.get('mode')).toBe('session');
    expect(server.jar.session).toBeDefined();
    expect((await client.me()).email).toBe(CREDENTIALS.email);
    expect(server.count('/auth/refresh')).toBe(0);
    client.dispose();
  });
});

describe('session mode with a storage strategy', () => {
  it('sends the session token as Bearer; a revoked session signs out without a refresh', async () => {
    const { client, server } = createHarness({ mode: 'session' });
    const state = await client.login(CREDENTIALS);
    expect(state).toMatchObject({ status: 'signed-in', mode: 'session', claims: null });
    const [session] = await client.sessions.list();
    expect(session).toMatchObject({ current: true });
    server.sessions.get(session!.id)!.revoked = true;
    const response = await client.fetch('http://tessera.test/api/data');
    expect(response.status).toBe(401);
    expect(server.count('/auth/refresh')).toBe(0);
    expect(client.getState().status).toBe('signed-out');
    client.dispose();
  });
});

describe('options', () => {
  it.each([
    [{ storage: 'indexedDB' }, /storage strategy/],
    [{ mode: 'oauth' }, /mode/],
    [{ refreshLeewaySeconds: -1 }, /refreshLeewaySeconds/],
    [{ refreshTokenIn: 'header' }, /refreshTokenIn/],
    [{ storage: 'localStorage' }, /localStorage is not available/],
  ])('refuses %j with a TypeError', (options, message) => {
    expect(() => createTesseraClient({ fetch: async () => new Response(), ...(options as object) })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }),
    );
  });
});
