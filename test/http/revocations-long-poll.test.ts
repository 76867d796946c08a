/**
 * GET /auth/revocations?wait=<seconds> (long-poll): a read with no news parks until this instance
 * hears of a revocation, the wait passes, the client leaves or the server closes. Timers are fake
 * (setTimeout only), so a parked request can only be answered by what the test does: nothing here
 * measures wall time.
 */
import { connect, type AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRevocationFeedWaiters,
  REVOCATION_FEED_MAX_WAIT_SECONDS,
  type RevocationFeedWaiters,
} from '../../src/flows/revocation/revocation-feed-wait.js';
import { REVOCATION_FEED_OVERLAP_SECONDS } from '../../src/flows/revocation/revocation-feed.js';
import { revocationRoutes } from '../../src/http/routes/revocation-routes.js';
import { decodeJwtUnverified } from '../../src/token/decode.js';
import { createTestApp, createTestDeps, type TestDeps } from '../helpers/test-deps.js';
import { bearer, expectProblem, registerUser } from './http-kit.js';

interface FeedBody {
  revoked: { sid: string; revoked_at: number }[];
  cursor: string;
}

const sidOf = (token: string) => decodeJwtUnverified(token).payload.sid as string;

/** Lets the app run what is queued (inject, the memory store); no timer is involved. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Resolves once `condition` holds, checking after each turn of the event loop (real sockets). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('GET /auth/revocations?wait= (one app)', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    ({ app, deps } = await createTestApp());
  });
  afterEach(async () => {
    vi.useRealTimers();
    await app.close();
  });

  const feed = (query: string) => app.inject({ method: 'GET', url: `/auth/revocations${query}` });

  it('a parked request answers as soon as a logout happens on the same app, before the wait elapses', async () => {
    const alice = await registerUser(app);
    const start = (await feed('')).json<FeedBody>();
    let answered = false;
    const parked = feed(`?since=${start.cursor}&wait=30`).then((response) => {
      answered = true;
      return response;
    });
    await flush();
    expect(answered).toBe(false); // parked: nothing new yet

    const logout = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(alice.access_token),
    });
    expect(logout.statusCode).toBe(204);
    const response = await parked; // fake timers: the 30 s timeout cannot have fired
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json<FeedBody>().revoked.map((entry) => entry.sid)).toEqual([sidOf(alice.access_token)]);
  });

  it('answers at once when the read already holds news, and repeats of the overlap do not count as news', async () => {
    const alice = await registerUser(app);
    await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(alice.access_token) });
    deps.clock.advanceSeconds(1);
    const first = await feed('?wait=30'); // a first read with news: not parked
    expect(first.json<FeedBody>().revoked).toHaveLength(1);

    deps.clock.advanceSeconds(REVOCATION_FEED_OVERLAP_SECONDS - 2);
    let answered = false;
    const again = feed(`?since=${first.json<FeedBody>().cursor}&wait=30`).then((response) => {
      answered = true;
      return response;
    });
    await flush();
    expect(answered).toBe(false); // the logout is still in the overlap, but it is not news
    deps.clock.advanceSeconds(30);
    await vi.advanceTimersByTimeAsync(30_000);
    // Answered at the timeout only, with the same repeat and a cursor that has moved past it.
    const body = (await again).json<FeedBody>();
    expect(body.revoked.map((entry) => entry.sid)).toEqual([sidOf(alice.access_token)]);
    expect(Number(body.cursor)).toBeGreaterThan(Number(first.json<FeedBody>().cursor));
  });

  it('times out after `wait` seconds with an empty list and a fresh cursor', async () => {
    const start = (await feed('')).json<FeedBody>();
    let answered = false;
    const parked = feed(`?since=${start.cursor}&wait=7`).then((response) => {
      answered = true;
      return response;
    });
    await flush();
    deps.clock.advanceSeconds(7);
    await vi.advanceTimersByTimeAsync(6999);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const body = (await parked).json<FeedBody>();
    expect(body.revoked).toEqual([]);
    expect(body.cursor).toBe(String(deps.clock.now().getTime() - REVOCATION_FEED_OVERLAP_SECONDS * 1000));
    expect(body.cursor).not.toBe(start.cursor);
  });

  it.each([
    ['negative', '-1'],
    ['over the maximum', String(REVOCATION_FEED_MAX_WAIT_SECONDS + 1)],
    ['not an integer', '1.5'],
    ['text', 'soon'],
    ['empty', ''],
    ['padded', '05'],
    ['repeated', '1&wait=2'],
  ])('answers 400 invalid_request to a wait %s', async (_name, wait) => {
    expectProblem(await feed(`?wait=${wait}`), 400, 'invalid_request', { instance: '/auth/revocations' });
  });

  it.each(['0', String(REVOCATION_FEED_MAX_WAIT_SECONDS)])('accepts wait=%s', async (wait) => {
    await registerUser(app).then((alice) =>
      app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(alice.access_token) }),
    );
    expect((await feed(`?wait=${wait}`)).statusCode).toBe(200);
  });
});

describe('GET /auth/revocations?wait= (parked requests observed)', () => {
  let deps: TestDeps;
  let app: FastifyInstance;
  let waiters: RevocationFeedWaiters;

  /** The feed route alone, with waiters the test can count. */
  async function feedApp(maxParked?: number): Promise<void> {
    deps = await createTestDeps();
    waiters = createRevocationFeedWaiters(deps.revocations, maxParked === undefined ? {} : { maxParked });
    app = Fastify();
    await app.register(revocationRoutes(deps, { waiters }));
    await app.ready();
  }

  afterEach(async () => {
    await app?.close();
  });

  it('parks at most the cap; the next request is answered at once, without waiting', async () => {
    await feedApp(3);
    const parked = [0, 1, 2].map(() => app.inject({ method: 'GET', url: '/auth/revocations?wait=30' }));
    await until(() => waiters.parked === 3);
    const beyond = await app.inject({ method: 'GET', url: '/auth/revocations?wait=30' });
    expect(beyond.statusCode).toBe(200);
    expect(beyond.json<FeedBody>().revoked).toEqual([]);
    expect(waiters.parked).toBe(3);
    await deps.revocations.announce(['some-session']);
    expect((await Promise.all(parked)).map((response) => response.statusCode)).toEqual([200, 200, 200]);
  });

  it('a client that disconnects while parked releases its waiter (real socket)', async () => {
    await feedApp();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.write('GET /auth/revocations?wait=30 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await until(() => waiters.parked === 1);
    socket.destroy();
    await until(() => waiters.parked === 0);
    expect(received).toBe('');
  });

  it('closing the server releases every parked request at once: shutdown is not held up (real socket)', async () => {
    await feedApp();
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const requests = [0, 1].map(() => fetch(`${base}/auth/revocations?wait=30`));
    await until(() => waiters.parked === 2);
    // Held for the 30 s wait, this close would outlive the test's timeout.
    await app.close();
    const responses = await Promise.all(requests);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(((await responses[0]!.json()) as FeedBody).revoked).toEqual([]);
    expect(waiters.parked).toBe(0);
    expect(await waiters.wait({ seenVersion: waiters.version, timeoutMs: 30_000 })).toBe('closed');
  });
});
