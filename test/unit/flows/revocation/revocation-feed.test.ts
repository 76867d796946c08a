import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../../src/errors.js';
import {
  decodeRevocationCursor,
  encodeRevocationCursor,
} from '../../../../src/flows/revocation/revocation-cursor.js';
import {
  readRevocationFeed,
  REVOCATION_FEED_OVERLAP_SECONDS,
  REVOCATION_FEED_PAGE_SIZE,
  type RevocationFeedPage,
} from '../../../../src/flows/revocation/revocation-feed.js';
import { createTestDeps, type TestDeps } from '../../../helpers/test-deps.js';

const OVERLAP_MS = REVOCATION_FEED_OVERLAP_SECONDS * 1000;

async function setup() {
  const deps = await createTestDeps();
  const now = deps.clock.now();
  await deps.stores.users.create({
    id: 'u1',
    email: 'u1@example.com',
    name: null,
    passwordHash: 'x',
    roles: [],
    createdAt: now,
  });
  return deps;
}

let counter = 0;
/** Creates a JWT session and revokes it with `revokedAt` (the revoking instance's clock), committing now. */
async function commitRevocation(
  deps: TestDeps,
  revokedAt: Date,
  id = `s${String(++counter).padStart(5, '0')}`,
) {
  const created = deps.clock.now();
  await deps.stores.sessions.create({
    id,
    userId: 'u1',
    kind: 'jwt',
    tokenHash: null,
    createdAt: created,
    lastSeenAt: created,
    idleExpiresAt: null,
    absoluteExpiresAt: new Date(created.getTime() + 86_400_000),
    userAgent: null,
    ip: null,
  });
  await deps.stores.sessions.revoke({ userId: 'u1', ids: [id], reason: 'logout', at: revokedAt });
  return id;
}

const sids = (page: RevocationFeedPage) => page.revoked.map((entry) => entry.sid);
const secondsAgo = (deps: TestDeps, seconds: number) => new Date(deps.clock.now().getTime() - seconds * 1000);

describe('readRevocationFeed', () => {
  it('lists revocations within the token window and answers a cursor lagging by the overlap', async () => {
    const deps = await setup();
    const { accessTokenTtlSeconds, clockToleranceSeconds } = deps.config;
    const window = accessTokenTtlSeconds + clockToleranceSeconds;
    await commitRevocation(deps, secondsAgo(deps, window + 1)); // every token of it has expired
    const recent = await commitRevocation(deps, secondsAgo(deps, 60));
    const page = await readRevocationFeed(deps, undefined);
    expect(sids(page)).toEqual([recent]);
    expect(page.windowSeconds).toBe(window);
    expect(page.overlapSeconds).toBe(REVOCATION_FEED_OVERLAP_SECONDS);
    expect(page.more).toBe(false);
    expect(decodeRevocationCursor(page.cursor).afterMs).toBe(deps.clock.now().getTime() - OVERLAP_MS);
  });

  it('re-reads the overlap window, so a row committed late with an earlier revoked_at is not missed', async () => {
    const deps = await setup();
    const first = await readRevocationFeed(deps, undefined);
    expect(sids(first)).toEqual([]);
    // Instance B stamps revoked_at = T, but its transaction commits only 8 s later, after a poll.
    const stampedAt = deps.clock.now();
    deps.clock.advanceSeconds(5);
    const during = await readRevocationFeed(deps, first.cursor);
    expect(sids(during)).toEqual([]);
    deps.clock.advanceSeconds(3);
    const late = await commitRevocation(deps, stampedAt);
    deps.clock.advanceSeconds(2);
    // A naive "after the newest row / after the last poll" cursor would now start at T+5 and skip it.
    const after = await readRevocationFeed(deps, during.cursor);
    expect(sids(after)).toEqual([late]);
    // And it comes back once more (inside the overlap) — clients dedupe by sid.
    const again = await readRevocationFeed(deps, after.cursor);
    expect(sids(again)).toContain(late);
    // Once the overlap has passed it, a read's cursor no longer covers it.
    deps.clock.advanceSeconds(REVOCATION_FEED_OVERLAP_SECONDS + 1);
    const later = await readRevocationFeed(deps, again.cursor);
    expect(sids(await readRevocationFeed(deps, later.cursor))).toEqual([]);
  });

  it('misses a late commit only beyond the overlap window (the documented assumption)', async () => {
    const deps = await setup();
    const first = await readRevocationFeed(deps, undefined);
    const stampedAt = deps.clock.now();
    deps.clock.advanceSeconds(REVOCATION_FEED_OVERLAP_SECONDS + 5);
    const poll = await readRevocationFeed(deps, first.cursor);
    await commitRevocation(deps, stampedAt); // committed 15 s after its stamp: beyond the bound
    expect(sids(await readRevocationFeed(deps, poll.cursor))).toEqual([]);
  });

  it('pages a long backlog and keeps the floor, so rows committed late while paging are still read', async () => {
    const deps = await setup();
    const start = await readRevocationFeed(deps, undefined);
    deps.clock.advanceSeconds(1);
    const stamp = deps.clock.now();
    for (let i = 0; i < REVOCATION_FEED_PAGE_SIZE + 5; i++) await commitRevocation(deps, stamp);
    const page1 = await readRevocationFeed(deps, start.cursor);
    expect(page1.more).toBe(true);
    expect(page1.revoked).toHaveLength(REVOCATION_FEED_PAGE_SIZE);
    // While the client pages, another instance commits a row stamped before the page's last row.
    const late = await commitRevocation(deps, new Date(stamp.getTime() - 500), 'a-late-one');
    const page2 = await readRevocationFeed(deps, page1.cursor);
    expect(page2.more).toBe(false);
    expect(page2.revoked).toHaveLength(5);
    expect(sids(page2)).not.toContain(late);
    const seen = new Set([...sids(page1), ...sids(page2)]);
    expect(seen.size).toBe(REVOCATION_FEED_PAGE_SIZE + 5);
    // The completed read falls back to the floor, so the next read picks the late row up.
    expect(sids(await readRevocationFeed(deps, page2.cursor))).toContain(late);
  });

  it('starts a cursor older than the window at the window edge', async () => {
    const deps = await setup();
    const recent = await commitRevocation(deps, secondsAgo(deps, 30));
    const page = await readRevocationFeed(deps, '0');
    expect(sids(page)).toEqual([recent]);
  });

  it.each(['', 'abc', '-5', '1.2', '12.id', '1.id.x', '9999999999999999', '1.a b.2', '1..2'])(
    'refuses the malformed cursor %j with invalid_request',
    async (cursor) => {
      const deps = await setup();
      const error = await readRevocationFeed(deps, cursor).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe('invalid_request');
    },
  );

  it('round-trips both cursor shapes', () => {
    expect(
      decodeRevocationCursor(encodeRevocationCursor({ afterMs: 5, afterId: '', floorMs: undefined })),
    ).toEqual({ afterMs: 5, afterId: '', floorMs: undefined });
    expect(
      decodeRevocationCursor(encodeRevocationCursor({ afterMs: 7, afterId: 'a_b-C', floorMs: 3 })),
    ).toEqual({
      afterMs: 7,
      afterId: 'a_b-C',
      floorMs: 3,
    });
  });
});
