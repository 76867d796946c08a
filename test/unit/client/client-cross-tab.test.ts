import { describe, expect, it } from 'vitest';
import { HELLO_WAIT_MS } from '../../../src/client/tab-sync.js';
import type { AuthEvent, ClientOptions, TesseraClient } from '../../../src/client/index.js';
import { CREDENTIALS, createHarness, type CustomClaims } from './client-kit.js';
import { settle } from './fake-clock.js';
import { createChannelBus, createFakeLocks, createFakeStorage } from './fake-tabs.js';

const ACCESS_TTL_MS = 900_000;

/** Two tabs of one browser: one cookie jar (the fake server's), one channel bus, one lock manager. */
function twoTabs(options: ClientOptions = {}) {
  const bus = createChannelBus();
  const locks = createFakeLocks();
  const harness = createHarness({ crossTab: true, createChannel: bus.create, locks, ...options });
  const tabB = harness.open({ random: () => 0.9 });
  const eventsOf = (tab: TesseraClient<CustomClaims>) => {
    const seen: AuthEvent[] = [];
    tab.onAuthChange((_state, event) => seen.push(event));
    return seen;
  };
  return { ...harness, bus, locks, tabA: harness.client, tabB, eventsB: eventsOf(tabB) };
}

describe.each([
  ['memory (refresh cookie)', { refreshTokenIn: 'cookie' } as ClientOptions],
  ['localStorage', { storage: 'localStorage' } as ClientOptions],
  ['cookie', { storage: 'cookie' } as ClientOptions],
])('two tabs, %s', (_label, strategy) => {
  const setUp = async () => {
    const tabs = twoTabs({ ...strategy, ...(strategy.storage ? { webStorage: createFakeStorage() } : {}) });
    await tabs.clock.advance(HELLO_WAIT_MS);
    await Promise.all([tabs.tabA.ready, tabs.tabB.ready]);
    return tabs;
  };

  it('a login in one tab signs the other in, and a logout signs it out', async () => {
    const { tabA, tabB, eventsB } = await setUp();
    await tabA.login(CREDENTIALS);
    await settle();
    expect(tabB.getState()).toMatchObject({ status: 'signed-in', user: { email: CREDENTIALS.email } });
    expect(tabB.getAccessToken()).toBe(tabA.getAccessToken());
    await tabA.logout();
    await settle();
    expect(tabB.getState()).toEqual({ status: 'signed-out' });
    expect(eventsB).toEqual(['tab-sync', 'tab-sync']);
  });

  it('both tabs refreshing at once make one refresh request, and both end with the new state', async () => {
    const { tabA, tabB, server } = await setUp();
    await tabA.login(CREDENTIALS);
    await settle();
    await Promise.all([tabA.refresh(), tabB.refresh()]);
    await settle();
    expect(server.count('/auth/refresh')).toBe(1);
    expect(tabB.getState()).toMatchObject({ status: 'signed-in' });
    expect(tabB.getAccessToken()).toBe(tabA.getAccessToken());
  });

  it('over several token lifetimes the tabs refresh once per lifetime, not once per tab', async () => {
    const { tabA, tabB, server, clock } = await setUp();
    await tabA.login(CREDENTIALS);
    await settle();
    await clock.advance(3 * ACCESS_TTL_MS);
    expect(server.count('/auth/refresh')).toBe(3);
    expect(tabA.getState().status).toBe('signed-in');
    expect(tabB.getState().status).toBe('signed-in');
  });
});

describe('cross-tab specifics', () => {
  it('a new tab (memory strategy) adopts the state of an open tab without any request', async () => {
    const { tabA, open, server, clock } = twoTabs({ refreshTokenIn: 'cookie' });
    await clock.advance(HELLO_WAIT_MS);
    await tabA.login(CREDENTIALS);
    const before = server.requests.length;
    const tabC = open();
    await tabC.ready;
    expect(tabC.getAccessToken()).toBe(tabA.getAccessToken());
    expect(server.requests.length).toBe(before);
  });

  it('without Web Locks, the BroadcastChannel claim protocol still lets only one tab refresh', async () => {
    const { tabA, tabB, server, clock } = twoTabs({ refreshTokenIn: 'cookie', locks: null });
    await clock.advance(HELLO_WAIT_MS);
    await tabA.login(CREDENTIALS);
    await settle();
    const both = Promise.all([tabA.refresh(), tabB.refresh()]);
    await clock.advance(1_000);
    await both;
    expect(server.count('/auth/refresh')).toBe(1);
    expect(tabB.getAccessToken()).toBe(tabA.getAccessToken());
  });

  it('a stale state message (older expiry) is ignored', async () => {
    const { tabA, tabB, bus, clock } = twoTabs({ refreshTokenIn: 'cookie' });
    await clock.advance(HELLO_WAIT_MS);
    await tabA.login(CREDENTIALS);
    await settle();
    const stale = bus.posted.find((m) => (m as { type: string }).type === 'state') as { credentials: object };
    await clock.advance(60_000);
    await tabA.refresh();
    await settle();
    const fresh = tabB.getAccessToken();
    const intruder = bus.create('tessera');
    intruder.postMessage({ type: 'state', event: 'refreshed', credentials: stale.credentials });
    await settle();
    expect(tabB.getAccessToken()).toBe(fresh);
  });

  it('drops malformed messages on the channel', async () => {
    const { tabB, bus, clock } = twoTabs({ refreshTokenIn: 'cookie' });
    await clock.advance(HELLO_WAIT_MS);
    const intruder = bus.create('tessera');
    for (const data of [
      null,
      'signed-in',
      { type: 'state' },
      { type: 'state', event: 'x', credentials: {} },
      { type: 'claim' },
    ]) {
      intruder.postMessage(data);
    }
    await settle();
    expect(tabB.getState()).toEqual({ status: 'signed-out' });
  });

  it('is off by default outside a browser (no document): Node clients stay independent', async () => {
    const bus = createChannelBus();
    const { client, open } = createHarness({ createChannel: bus.create });
    const other = open();
    await client.login(CREDENTIALS);
    await settle();
    expect(bus.posted).toHaveLength(0);
    expect(other.getState().status).toBe('signed-out');
  });
});
