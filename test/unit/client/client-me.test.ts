import { describe, expect, it } from 'vitest';
import { HELLO_WAIT_MS } from '../../../src/client/tab-sync.js';
import type { AuthEvent, ClientOptions } from '../../../src/client/index.js';
import { CREDENTIALS, createHarness, type Harness } from './client-kit.js';
import { settle } from './fake-clock.js';
import { USER_EMAIL } from './fake-server.js';
import { createChannelBus, createFakeLocks, createFakeStorage } from './fake-tabs.js';

const INVALID_TOKEN = { 'www-authenticate': 'Bearer realm="tessera", error="invalid_token"' };

/** A second client on the harness's server whose answers pass through `intercept` (to hold or replace them). */
function openIntercepted(
  harness: Harness,
  intercept: (path: string, response: Response) => Response | Promise<Response>,
  options: ClientOptions = {},
) {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await harness.server.fetch(input, init);
    return intercept(new URL(input instanceof Request ? input.url : String(input)).pathname, response);
  };
  const client = harness.open({ ...options, fetch: fetch as typeof globalThis.fetch });
  const events: AuthEvent[] = [];
  client.onAuthChange((_state, event) => events.push(event));
  return { client, events };
}

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

type FakeUser = ReturnType<Harness['server']['users']['get']> & object;

function alice(harness: Harness): FakeUser {
  return harness.server.users.get(USER_EMAIL)!;
}

describe('me() keeps the state user current', () => {
  it.each([
    ['name', (user: FakeUser) => void (user.name = 'Alice Liddell')],
    ['roles', (user: FakeUser) => void (user.roles = ['admin'])],
    ['email', (user: FakeUser) => void (user.email = 'alice@wonderland.example')],
  ])('a changed %s updates the state and emits user-updated once', async (_member, change) => {
    const harness = createHarness();
    const { client, clock, events } = harness;
    await client.login(CREDENTIALS);
    const token = client.getAccessToken();
    const timers = clock.pendingDelays();
    change(alice(harness));
    const user = await client.me();
    const state = client.getState();
    if (state.status !== 'signed-in') throw new Error('expected signed-in');
    expect(state.user).toEqual(user);
    expect(user).toMatchObject({ id: 'u1', name: alice(harness).name, email: alice(harness).email });
    await settle();
    expect(events.map((e) => e.event)).toEqual(['signed-in', 'user-updated']);
    expect(events[1]!.state).toBe(state);
    // The credential is the same one: same token, same refresh timer.
    expect(client.getAccessToken()).toBe(token);
    expect(clock.pendingDelays()).toEqual(timers);
    client.dispose();
  });

  it('an unchanged user changes nothing: same state object, no event', async () => {
    const { client, events } = createHarness();
    await client.login(CREDENTIALS);
    const before = client.getState();
    expect((await client.me()).email).toBe(USER_EMAIL);
    await settle();
    expect(client.getState()).toBe(before);
    expect(events.map((e) => e.event)).toEqual(['signed-in']);
    client.dispose();
  });

  it('a second me() with the same new user emits nothing more', async () => {
    const harness = createHarness();
    const { client, events } = harness;
    await client.login(CREDENTIALS);
    alice(harness).name = 'Alice';
    await client.me();
    await client.me();
    await settle();
    expect(events.map((e) => e.event)).toEqual(['signed-in', 'user-updated']);
    client.dispose();
  });

  it('saves the new user, so a reload restores it (localStorage)', async () => {
    const webStorage = createFakeStorage();
    const harness = createHarness({ storage: 'localStorage', webStorage });
    await harness.client.login(CREDENTIALS);
    alice(harness).name = 'Alice';
    await harness.client.me();
    const reloaded = harness.open();
    await reloaded.ready;
    expect(reloaded.getState()).toMatchObject({ status: 'signed-in', user: { name: 'Alice' } });
    harness.client.dispose();
    reloaded.dispose();
  });

  it('is not a new credential: a back-off in progress stays (no request, same retry time)', async () => {
    const harness = createHarness();
    const { client, clock, server } = harness;
    await client.login(CREDENTIALS);
    server.failNext('/auth/refresh', { status: 503, retryAfter: '30' });
    await expect(client.refresh()).rejects.toMatchObject({ code: 'service_unavailable' });
    alice(harness).name = 'Alice';
    await client.me();
    await expect(client.refresh()).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(server.count('/auth/refresh')).toBe(1);
    await clock.advance(29_999);
    expect(server.count('/auth/refresh')).toBe(1);
    await clock.advance(1);
    expect(server.count('/auth/refresh')).toBe(2);
    client.dispose();
  });

  it('is not a new credential: a 401 for the token in use still refreshes once it arrives', async () => {
    const harness = createHarness();
    const held = gate();
    let refusedOnce = false;
    const { client } = openIntercepted(harness, async (path, response) => {
      if (path !== '/api/data' || refusedOnce) return response;
      refusedOnce = true;
      await held.opened;
      return json({ code: 'token_expired' }, 401, INVALID_TOKEN);
    });
    await client.login(CREDENTIALS);
    const first = client.getAccessToken()!;
    const pending = client.fetch('http://tessera.test/api/data');
    await settle();
    alice(harness).name = 'Alice';
    await client.me(); // updates the user while the request above waits for its 401
    harness.server.rejectedTokens.add(first);
    held.open();
    expect((await pending).status).toBe(200);
    expect(harness.server.count('/auth/refresh')).toBe(1);
    expect(client.getAccessToken()).not.toBe(first);
    expect(client.getState()).toMatchObject({ user: { name: 'Alice' } });
    client.dispose();
    harness.client.dispose();
  });

  it('an answer that arrives after sign-out is returned but changes nothing', async () => {
    const harness = createHarness();
    const held = gate();
    const { client, events } = openIntercepted(harness, async (path, response) => {
      if (path === '/auth/me') await held.opened;
      return response;
    });
    await client.login(CREDENTIALS);
    alice(harness).name = 'Alice';
    const pending = client.me();
    await settle();
    await client.logout();
    held.open();
    expect((await pending).name).toBe('Alice');
    await settle();
    expect(client.getState()).toEqual({ status: 'signed-out' });
    expect(events).toEqual(['signed-in', 'signed-out']);
    client.dispose();
    harness.client.dispose();
  });

  it("an answer about the previous user never lands in the next user's state", async () => {
    const harness = createHarness();
    const held = gate();
    const { client, events } = openIntercepted(harness, async (path, response) => {
      if (path === '/auth/me') await held.opened;
      return response;
    });
    await client.login(CREDENTIALS);
    const pending = client.me();
    await settle();
    await client.logout();
    await client.register({ email: 'bob@example.com', password: 'bob password 123' });
    held.open();
    expect((await pending).email).toBe(USER_EMAIL);
    await settle();
    expect(client.getState()).toMatchObject({ status: 'signed-in', user: { email: 'bob@example.com' } });
    expect(events).toEqual(['signed-in', 'signed-out', 'signed-in']);
    client.dispose();
    harness.client.dispose();
  });
});

describe('me() follows the 401 rules of every other call', () => {
  it('401 invalid_token: refreshes once and retries once (the refresh body brings the new user)', async () => {
    const harness = createHarness();
    const { client, server, events } = harness;
    await client.login(CREDENTIALS);
    const first = client.getAccessToken()!;
    server.rejectedTokens.add(first);
    alice(harness).name = 'Alice';
    expect((await client.me()).name).toBe('Alice');
    expect(server.count('/auth/refresh')).toBe(1);
    expect(server.count('/auth/me')).toBe(2);
    expect(client.getAccessToken()).not.toBe(first);
    await settle();
    expect(events.map((e) => e.event)).toEqual(['signed-in', 'refreshed']);
    expect(client.getState()).toMatchObject({ status: 'signed-in', user: { name: 'Alice' } });
    client.dispose();
  });

  it('a retry refused too goes back to the caller: one refresh, no loop, still signed in', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    server.rejectEveryAccessToken = true;
    await expect(client.me()).rejects.toMatchObject({ code: 'token_expired', status: 401 });
    expect(server.count('/auth/refresh')).toBe(1);
    expect(server.count('/auth/me')).toBe(2);
    await expect(client.me()).rejects.toMatchObject({ code: 'token_expired' });
    expect(server.count('/auth/refresh')).toBe(1); // no loop: a brand-new token was refused
    expect(client.getState().status).toBe('signed-in');
    client.dispose();
  });

  it('a refused refresh signs out and me() rejects with the original 401', async () => {
    const { client, server, events } = createHarness();
    await client.login(CREDENTIALS);
    server.rejectEveryAccessToken = true;
    server.failNext('/auth/refresh', { status: 401, code: 'refresh_token_reused' });
    await expect(client.me()).rejects.toMatchObject({ code: 'token_expired', status: 401 });
    expect(server.count('/auth/me')).toBe(1);
    expect(client.getState()).toEqual({ status: 'signed-out' });
    await settle();
    expect(events.map((e) => e.event)).toEqual(['signed-in', 'signed-out']);
    client.dispose();
  });

  it('session mode: a refused session token signs out at once, without a refresh', async () => {
    const { client, server } = createHarness({ mode: 'session' });
    await client.login(CREDENTIALS);
    for (const session of server.sessions.values()) session.revoked = true;
    await expect(client.me()).rejects.toMatchObject({ code: 'session_revoked', status: 401 });
    expect(server.count('/auth/refresh')).toBe(0);
    expect(client.getState()).toEqual({ status: 'signed-out' });
    client.dispose();
  });

  it.each([
    ['401 without the invalid_token challenge', { status: 401, code: 'unauthenticated' }, 'unauthenticated'],
    ['503', { status: 503, code: 'service_unavailable' }, 'service_unavailable'],
    ['429', { status: 429, code: 'rate_limited' }, 'rate_limited'],
    ['a network error', 'network' as const, 'network_error'],
  ])('%s: rejects, no refresh, the state is kept', async (_label, failure, code) => {
    const { client, server, events } = createHarness();
    await client.login(CREDENTIALS);
    const before = client.getState();
    server.failNext('/auth/me', failure);
    await expect(client.me()).rejects.toMatchObject({ code });
    expect(server.count('/auth/refresh')).toBe(0);
    expect(client.getState()).toBe(before);
    await settle();
    expect(events.map((e) => e.event)).toEqual(['signed-in']);
    client.dispose();
  });

  it('signed out: rejects with unauthenticated and stays signed out, no event', async () => {
    const { client, server, events } = createHarness();
    await expect(client.me()).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(server.count('/auth/refresh')).toBe(0);
    expect(client.getState()).toEqual({ status: 'signed-out' });
    await settle();
    expect(events).toEqual([]);
    client.dispose();
  });
});

describe('me() refuses an answer that is not the documented one', () => {
  it.each([
    ['no user member', {}],
    ['user null', { user: null }],
    ['user a string', { user: USER_EMAIL }],
    ['user without id', { user: { email: USER_EMAIL } }],
    ['numeric id', { user: { id: 1, email: USER_EMAIL } }],
    ['not JSON', 'html'],
  ])('%s: unexpected_response, state unchanged', async (_label, body) => {
    const harness = createHarness();
    const { client, events } = openIntercepted(harness, (path, response) => {
      if (path !== '/auth/me') return response;
      return body === 'html' ? new Response('<html>proxy</html>', { status: 200 }) : json(body);
    });
    await client.login(CREDENTIALS);
    const before = client.getState();
    await expect(client.me()).rejects.toMatchObject({ code: 'unexpected_response', status: 200 });
    expect(client.getState()).toBe(before);
    await settle();
    expect(events).toEqual(['signed-in']);
    client.dispose();
    harness.client.dispose();
  });
});

describe.each([
  ['memory (refresh cookie)', { refreshTokenIn: 'cookie' } as ClientOptions],
  ['localStorage', { storage: 'localStorage' } as ClientOptions],
])('me() across tabs, %s', (_label, strategy) => {
  it('the other tab takes the new user (tab-sync) without a request or a new token', async () => {
    const bus = createChannelBus();
    const harness = createHarness({
      crossTab: true,
      createChannel: bus.create,
      locks: createFakeLocks(),
      ...strategy,
      ...(strategy.storage ? { webStorage: createFakeStorage() } : {}),
    });
    const tabA = harness.client;
    const tabB = harness.open({ random: () => 0.9 });
    const eventsB: AuthEvent[] = [];
    tabB.onAuthChange((_state, event) => eventsB.push(event));
    await harness.clock.advance(HELLO_WAIT_MS);
    await tabA.login(CREDENTIALS);
    await settle();
    const tokenB = tabB.getAccessToken();
    const requests = harness.server.requests.length;
    alice(harness).name = 'Alice';
    await tabA.me();
    await settle();
    expect(tabB.getState()).toMatchObject({ status: 'signed-in', user: { name: 'Alice' } });
    expect(tabB.getAccessToken()).toBe(tokenB);
    expect(harness.server.requests.length).toBe(requests + 1); // tab A's /auth/me only
    expect(eventsB).toEqual(['tab-sync', 'tab-sync']);
    tabA.dispose();
    tabB.dispose();
  });
});
