import { describe, expect, it } from 'vitest';
import { CREDENTIALS, createHarness } from './client-kit.js';

const ACCESS_TTL_MS = 900_000;

describe('proactive refresh', () => {
  it('refreshes at exp - leeway - jitter (leeway 60 s, random 0.5 -> 6 s of jitter), not before', async () => {
    const { client, clock, server, events } = createHarness();
    await client.login(CREDENTIALS);
    const first = client.getAccessToken();
    await clock.advance(ACCESS_TTL_MS - 66_000 - 1);
    expect(server.count('/auth/refresh')).toBe(0);
    await clock.advance(1);
    expect(server.count('/auth/refresh')).toBe(1);
    expect(client.getAccessToken()).not.toBe(first);
    expect(events.map((e) => e.event)).toEqual(['signed-in', 'refreshed']);
    client.dispose();
  });

  it('keeps refreshing, one refresh per token lifetime', async () => {
    const { client, clock, server } = createHarness();
    await client.login(CREDENTIALS);
    await clock.advance(3 * ACCESS_TTL_MS);
    expect(server.count('/auth/refresh')).toBe(3);
    expect(client.getState().status).toBe('signed-in');
    client.dispose();
  });

  it('exposes typed claims, custom ones included, and expiresAt in epoch ms', async () => {
    const { client, clock } = createHarness();
    const state = await client.login(CREDENTIALS);
    if (state.status !== 'signed-in') throw new Error('expected signed-in');
    expect(state.claims?.tenant).toBe('acme');
    expect(state.claims?.sub).toBe('u1');
    expect(state.expiresAt).toBe(clock.now() + ACCESS_TTL_MS);
    expect(state.user?.email).toBe(CREDENTIALS.email);
    client.dispose();
  });
});

describe('reactive refresh on 401 invalid_token', () => {
  it('refreshes once and retries the original request once, body included', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    const first = client.getAccessToken()!;
    server.rejectedTokens.add(first); // as if revoked on the server before its exp
    const request = new Request('http://tessera.test/api/data', { method: 'POST', body: 'payload' });
    const response = await client.fetch(request);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: 'POST', body: 'payload' });
    expect(server.count('/auth/refresh')).toBe(1);
    expect(server.count('/api/data')).toBe(2);
    const [refused, retried] = server.requests.filter((r) => r.path === '/api/data');
    expect(refused!.headers.get('authorization')).toBe(`Bearer ${first}`);
    expect(retried!.headers.get('authorization')).toBe(`Bearer ${client.getAccessToken()}`);
    expect(client.getAccessToken()).not.toBe(first);
    client.dispose();
  });

  it('does not loop when the retry is refused too: one refresh, one retry, the 401 goes to the caller', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    server.rejectEveryAccessToken = true;
    const response = await client.fetch('http://tessera.test/api/data');
    expect(response.status).toBe(401);
    expect(server.count('/auth/refresh')).toBe(1);
    expect(server.count('/api/data')).toBe(2);
    // Asking again does not refresh again: a brand-new token was refused, so age was not the reason.
    const again = await client.fetch('http://tessera.test/api/data');
    expect(again.status).toBe(401);
    expect(server.count('/auth/refresh')).toBe(1);
    expect(client.getState().status).toBe('signed-in');
    client.dispose();
  });

  it('does not refresh on a 401 without the invalid_token challenge, nor on a 403', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    server.failNext('/api/data', { status: 401, code: 'unauthenticated' });
    server.failNext('/api/data', { status: 403, code: 'insufficient_scope' });
    expect((await client.fetch('http://tessera.test/api/data')).status).toBe(401);
    expect((await client.fetch('http://tessera.test/api/data')).status).toBe(403);
    expect(server.count('/auth/refresh')).toBe(0);
    client.dispose();
  });

  it('single-flight: 10 concurrent requests on an expired token make one refresh', async () => {
    const { client, clock, server } = createHarness({ refreshLeewaySeconds: 0 });
    await client.login(CREDENTIALS);
    server.failNext('/auth/refresh', 'network'); // the proactive attempt at exp fails: token now expired
    await clock.advance(ACCESS_TTL_MS + 1);
    expect(server.count('/auth/refresh')).toBe(1);
    await clock.advance(60_000); // past the back-off
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => client.fetch('http://tessera.test/api/data')),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(server.count('/auth/refresh')).toBe(2);
    client.dispose();
  });

  it('concurrent refresh() calls share one request and one result', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    const states = await Promise.all([client.refresh(), client.refresh(), client.refresh()]);
    expect(new Set(states).size).toBe(1);
    expect(server.count('/auth/refresh')).toBe(1);
    client.dispose();
  });
});

describe('transient failures keep the session and back off', () => {
  it('honours Retry-After on 503 and 429, and keeps the user signed in', async () => {
    const { client, clock, server } = createHarness();
    await client.login(CREDENTIALS);
    server.failNext('/auth/refresh', { status: 503, retryAfter: '30' });
    server.failNext('/auth/refresh', { status: 429, code: 'rate_limited', retryAfter: '120' });
    await expect(client.refresh()).rejects.toMatchObject({
      code: 'service_unavailable',
      status: 503,
      retryAfterSeconds: 30,
    });
    // Refused without a request while backing off: no caller can make a tight loop.
    await expect(client.refresh()).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(server.count('/auth/refresh')).toBe(1);
    await clock.advance(29_999);
    expect(server.count('/auth/refresh')).toBe(1);
    await clock.advance(1);
    expect(server.count('/auth/refresh')).toBe(2); // the 429
    await clock.advance(119_999);
    expect(server.count('/auth/refresh')).toBe(2);
    await clock.advance(1);
    expect(server.count('/auth/refresh')).toBe(3);
    expect(client.getState().status).toBe('signed-in');
    client.dispose();
  });

  it('backs off exponentially on network errors (random 0.5: 0.75 s, 1.5 s, 3 s, 6 s) and recovers', async () => {
    const { client, clock, server, events } = createHarness();
    await client.login(CREDENTIALS);
    server.failNext('/auth/refresh', 'network', 4);
    await expect(client.refresh()).rejects.toMatchObject({ code: 'network_error', status: 0 });
    const attemptsAt: number[] = [];
    const start = clock.now();
    for (let ms = 0; ms < 12_000; ms += 250) {
      const before = server.count('/auth/refresh');
      await clock.advance(250);
      if (server.count('/auth/refresh') > before) attemptsAt.push(clock.now() - start);
    }
    expect(attemptsAt).toEqual([750, 2250, 5250, 11_250]);
    expect(client.getState().status).toBe('signed-in');
    expect(events.at(-1)?.event).toBe('refreshed');
    client.dispose();
  });

  it('a 5xx on the resource itself is handed back without any refresh', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    server.failNext('/api/data', { status: 500, code: 'internal_error' });
    expect((await client.fetch('http://tessera.test/api/data')).status).toBe(500);
    expect(server.count('/auth/refresh')).toBe(0);
    client.dispose();
  });
});

describe('definite rejection signs out', () => {
  it.each([
    ['refresh_token_reused', 401],
    ['refresh_token_invalid', 401],
    ['session_revoked', 401],
    ['invalid_request', 400],
    ['csrf_rejected', 403],
  ])('%s (%i) signs out and tells the listeners', async (code, status) => {
    const { client, server, events } = createHarness();
    await client.login(CREDENTIALS);
    server.failNext('/auth/refresh', { status, code });
    await expect(client.refresh()).rejects.toMatchObject({ code, status });
    expect(client.getState()).toEqual({ status: 'signed-out' });
    expect(client.getAccessToken()).toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.map((e) => e.event)).toEqual(['signed-in', 'signed-out']);
    client.dispose();
  });

  it('a reactive refresh that is refused signs out and returns the original 401', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    server.rejectEveryAccessToken = true;
    server.failNext('/auth/refresh', { status: 401, code: 'refresh_token_reused' });
    const response = await client.fetch('http://tessera.test/api/data');
    expect(response.status).toBe(401);
    expect(server.count('/api/data')).toBe(1);
    expect(client.getState().status).toBe('signed-out');
    client.dispose();
  });
});

describe('client.fetch adds credentials only for trusted origins', () => {
  it('sends the Bearer token to the Tessera origin and to listed origins only', async () => {
    const { client, server } = createHarness({ trustedOrigins: ['https://api.example'] });
    await client.login(CREDENTIALS);
    await client.fetch('http://tessera.test/api/data');
    await client.fetch('https://api.example/orders');
    await client.fetch('https://tracker.example/pixel');
    const [own, listed, foreign] = server.requests.slice(-3);
    expect(own!.headers.get('authorization')).toMatch(/^Bearer /);
    expect(listed!.headers.get('authorization')).toMatch(/^Bearer /);
    expect(foreign!.headers.get('authorization')).toBeNull();
    client.dispose();
  });

  it('never refreshes for a foreign 401', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    server.rejectEveryAccessToken = true;
    expect((await client.fetch('https://elsewhere.example/api/data')).status).toBe(401);
    expect(server.count('/auth/refresh')).toBe(0);
    client.dispose();
  });

  it.each([[['not a url']], [['/relative']], ['https://a.example' as unknown as string[]]])(
    'refuses trustedOrigins %j',
    (trustedOrigins) => {
      expect(() => createHarness({ trustedOrigins })).toThrow(TypeError);
    },
  );
});
