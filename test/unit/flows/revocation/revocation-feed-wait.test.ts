import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRevocationFeedWaiters,
  readRevocationFeedWaiting,
  REVOCATION_FEED_MAX_PARKED,
} from '../../../../src/flows/revocation/revocation-feed-wait.js';
import {
  readRevocationFeed,
  REVOCATION_FEED_OVERLAP_SECONDS,
} from '../../../../src/flows/revocation/revocation-feed.js';
import {
  createStoreOnlyRevocationList,
  type RevocationList,
} from '../../../../src/stores/revocation-list.js';
import { createTestDeps, type TestDeps } from '../../../helpers/test-deps.js';

/** Lets queued promise callbacks run; nothing here waits on wall time (timers are fake). */
const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('RevocationList.onRevoked (store-only list)', () => {
  it('tells listeners of this instance’s announcements until they unsubscribe; a throwing one harms nobody', async () => {
    const list = createStoreOnlyRevocationList();
    const heard: string[][] = [];
    list.onRevoked(() => {
      throw new Error('a broken listener');
    });
    const unsubscribe = list.onRevoked((ids) => heard.push([...ids]));
    await list.announce(['s1', 's2']);
    await list.announce([]);
    unsubscribe();
    await list.announce(['s3']);
    expect(heard).toEqual([['s1', 's2']]);
  });
});

describe('createRevocationFeedWaiters', () => {
  let list: RevocationList;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    list = createStoreOnlyRevocationList();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('releases every parked reader at the next revocation, and bumps the version', async () => {
    const waiters = createRevocationFeedWaiters(list);
    const outcomes = [0, 1].map(() => waiters.wait({ seenVersion: 0, timeoutMs: 30_000 }));
    expect(waiters.parked).toBe(2);
    await list.announce(['s1']);
    expect(await Promise.all(outcomes)).toEqual(['revoked', 'revoked']);
    expect(waiters.version).toBe(1);
    expect(waiters.parked).toBe(0);
  });

  it('does not park a reader that missed a revocation between its read and its wait', async () => {
    const waiters = createRevocationFeedWaiters(list);
    const seen = waiters.version;
    await list.announce(['s1']); // lands while the reader's store read is under way
    expect(await waiters.wait({ seenVersion: seen, timeoutMs: 30_000 })).toBe('revoked');
    expect(waiters.parked).toBe(0);
  });

  it('times out on the timer, and the timer is cleared when released otherwise', async () => {
    const waiters = createRevocationFeedWaiters(list);
    const outcome = waiters.wait({ seenVersion: 0, timeoutMs: 5000 });
    await vi.advanceTimersByTimeAsync(4999);
    expect(waiters.parked).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBe('timeout');
    const released = waiters.wait({ seenVersion: 0, timeoutMs: 5000 });
    await list.announce(['s1']);
    expect(await released).toBe('revoked');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a reader whose client left is released and forgotten (no leak)', async () => {
    const waiters = createRevocationFeedWaiters(list);
    const gone = new AbortController();
    const outcome = waiters.wait({ seenVersion: 0, timeoutMs: 30_000, signal: gone.signal });
    expect(waiters.parked).toBe(1);
    gone.abort();
    expect(await outcome).toBe('aborted');
    expect(waiters.parked).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(await waiters.wait({ seenVersion: 0, timeoutMs: 30_000, signal: gone.signal })).toBe('aborted');
  });

  it(`parks at most maxParked (default ${REVOCATION_FEED_MAX_PARKED}); the next one is answered at once`, async () => {
    const waiters = createRevocationFeedWaiters(list, { maxParked: 2 });
    const parked = [0, 1].map(() => waiters.wait({ seenVersion: 0, timeoutMs: 30_000 }));
    expect(await waiters.wait({ seenVersion: 0, timeoutMs: 30_000 })).toBe('full');
    expect(waiters.parked).toBe(2);
    await list.announce(['s1']);
    expect(await Promise.all(parked)).toEqual(['revoked', 'revoked']);
  });

  it('close() releases every parked reader at once, answers later ones at once, and unsubscribes', async () => {
    const onRevoked = vi.fn(list.onRevoked);
    const unsubscribe = vi.fn();
    const waiters = createRevocationFeedWaiters({
      onRevoked: (listener) => {
        onRevoked(listener);
        return unsubscribe;
      },
    });
    const parked = [0, 1, 2].map(() => waiters.wait({ seenVersion: 0, timeoutMs: 30_000 }));
    waiters.close();
    expect(await Promise.all(parked)).toEqual(['closed', 'closed', 'closed']);
    expect(await waiters.wait({ seenVersion: 0, timeoutMs: 30_000 })).toBe('closed');
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('readRevocationFeedWaiting', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    deps = await createTestDeps();
    await deps.stores.users.create({
      id: 'u1',
      email: 'u1@example.com',
      name: null,
      passwordHash: 'x',
      roles: [],
      createdAt: deps.clock.now(),
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function revokeOne(id: string) {
    const now = deps.clock.now();
    await deps.stores.sessions.create({
      id,
      userId: 'u1',
      kind: 'jwt',
      tokenHash: null,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: null,
      absoluteExpiresAt: new Date(now.getTime() + 86_400_000),
      userAgent: null,
      ip: null,
    });
    await deps.stores.sessions.revoke({ userId: 'u1', ids: [id], reason: 'logout', at: now });
  }

  it('answers at once with wait 0, and at once when the first read holds news', async () => {
    const waiters = createRevocationFeedWaiters(deps.revocations);
    const empty = await readRevocationFeedWaiting(deps, waiters, { since: undefined, waitSeconds: 0 });
    expect(empty.revoked).toEqual([]);
    await revokeOne('s1');
    const page = await readRevocationFeedWaiting(deps, waiters, { since: empty.cursor, waitSeconds: 30 });
    expect(page.revoked.map((entry) => entry.sid)).toEqual(['s1']);
    expect(waiters.parked).toBe(0);
  });

  it('the overlap repeated is not news: a reader with the last answer’s cursor parks', async () => {
    const waiters = createRevocationFeedWaiters(deps.revocations);
    await revokeOne('s1');
    deps.clock.advanceSeconds(1);
    const first = await readRevocationFeed(deps, undefined);
    expect(first.hasNews).toBe(true);
    deps.clock.advanceSeconds(REVOCATION_FEED_OVERLAP_SECONDS - 2); // s1 is still inside the overlap
    const again = await readRevocationFeed(deps, first.cursor);
    expect(again.revoked.map((entry) => entry.sid)).toEqual(['s1']);
    expect(again.hasNews).toBe(false);

    const parked = readRevocationFeedWaiting(deps, waiters, { since: first.cursor, waitSeconds: 30 });
    await flush();
    expect(waiters.parked).toBe(1);
    deps.clock.advanceSeconds(1);
    await revokeOne('s2'); // announced through the wrapped session store
    expect((await parked).revoked.map((entry) => entry.sid).sort()).toEqual(['s1', 's2']);
  });

  it('times out with a fresh read: nothing new, and a cursor from the moment of the answer', async () => {
    const waiters = createRevocationFeedWaiters(deps.revocations);
    const start = await readRevocationFeed(deps, undefined);
    const parked = readRevocationFeedWaiting(deps, waiters, { since: start.cursor, waitSeconds: 30 });
    await flush();
    expect(waiters.parked).toBe(1);
    deps.clock.advanceSeconds(30);
    await vi.advanceTimersByTimeAsync(30_000);
    const page = await parked;
    expect(page.revoked).toEqual([]);
    expect(page.cursor).toBe(String(deps.clock.now().getTime() - REVOCATION_FEED_OVERLAP_SECONDS * 1000));
    expect(page.cursor).not.toBe(start.cursor);
  });
});
