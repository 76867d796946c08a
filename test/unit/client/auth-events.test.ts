import { describe, expect, it, vi } from 'vitest';
import { createAuthEvents } from '../../../src/client/auth-events.js';
import { CREDENTIALS, createHarness } from './client-kit.js';
import { settle } from './fake-clock.js';

describe('onAuthChange', () => {
  it('calls listeners asynchronously, after the change is complete', async () => {
    const { client } = createHarness();
    const seen: string[] = [];
    client.onAuthChange((state, event) => seen.push(`${event}:${state.status}:${client.getState().status}`));
    const login = client.login(CREDENTIALS);
    expect(seen).toEqual([]);
    await login;
    await settle();
    expect(seen).toEqual(['signed-in:signed-in:signed-in']);
    client.dispose();
  });

  it('a throwing listener does not keep the others from hearing the event', async () => {
    const { client } = createHarness();
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const after = vi.fn();
    client.onAuthChange(() => {
      throw new Error('listener bug');
    });
    client.onAuthChange(after);
    await client.login(CREDENTIALS);
    await settle();
    expect(after).toHaveBeenCalledWith(expect.objectContaining({ status: 'signed-in' }), 'signed-in');
    expect(reportError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }));
    vi.unstubAllGlobals();
    client.dispose();
  });

  it('a listener that calls back into the client (refresh, fetch, logout) cannot deadlock it', async () => {
    const { client, server } = createHarness();
    const done: string[] = [];
    client.onAuthChange((_state, event) => {
      if (event === 'signed-in') {
        void client
          .refresh()
          .then(() => client.fetch('http://tessera.test/api/data'))
          .then(() => done.push('refreshed and fetched'));
      }
      if (event === 'refreshed') void client.logout().then(() => done.push('logged out'));
    });
    await client.login(CREDENTIALS);
    for (let i = 0; i < 5 && done.length < 2; i += 1) await settle();
    expect(done.sort()).toEqual(['logged out', 'refreshed and fetched']);
    expect(client.getState().status).toBe('signed-out');
    expect(server.count('/auth/refresh')).toBe(1);
  });

  it('unsubscribing stops delivery, even of an event already queued', async () => {
    const events = createAuthEvents<object>();
    const listener = vi.fn();
    const unsubscribe = events.subscribe(listener);
    events.emit({ status: 'signed-out' }, 'signed-out');
    unsubscribe();
    await settle();
    expect(listener).not.toHaveBeenCalled();
  });

  it('dispose stops the refresh timer', async () => {
    const { client, clock, server } = createHarness();
    await client.login(CREDENTIALS);
    client.dispose();
    await clock.advance(2 * 900_000);
    expect(server.count('/auth/refresh')).toBe(0);
  });
});
