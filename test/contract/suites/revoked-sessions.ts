import { describe, expect, it } from 'vitest';
import { at, newSession, newUser, T0 } from './fixtures.js';
import type { StoreContext } from './fixtures.js';

/** SessionStore.listRevokedSince: the read behind the revocation feed (GET /auth/revocations). */
export function describeRevokedSessionsFeed(ctx: StoreContext): void {
  describe('SessionStore.listRevokedSince', () => {
    async function revokedSessions(times: number[], kind: 'jwt' | 'session' = 'jwt') {
      const user = await ctx.stores.users.create(newUser());
      const ids: string[] = [];
      for (const ms of times) {
        const session = await ctx.stores.sessions.create(newSession(user.id, { kind }));
        await ctx.stores.sessions.revoke({
          userId: user.id,
          ids: [session.id],
          reason: 'logout',
          at: at(ms),
        });
        ids.push(session.id);
      }
      return { user, ids };
    }

    it('lists revoked JWT sessions after (revokedAt, id), oldest first, with their revocation time', async () => {
      const { ids } = await revokedSessions([3000, 1000, 2000]);
      const listed = await ctx.stores.sessions.listRevokedSince({ revokedAt: T0, id: '' }, 10);
      expect(listed).toEqual([
        { id: ids[1], revokedAt: at(1000) },
        { id: ids[2], revokedAt: at(2000) },
        { id: ids[0], revokedAt: at(3000) },
      ]);
      expect(await ctx.stores.sessions.listRevokedSince({ revokedAt: at(2000), id: '' }, 10)).toEqual([
        { id: ids[2], revokedAt: at(2000) },
        { id: ids[0], revokedAt: at(3000) },
      ]);
    });

    it('continues after the exact row at a shared timestamp (keyset on revokedAt, then id)', async () => {
      await revokedSessions([5000, 5000, 5000]);
      const all = await ctx.stores.sessions.listRevokedSince({ revokedAt: T0, id: '' }, 10);
      expect(all).toHaveLength(3);
      const first = await ctx.stores.sessions.listRevokedSince({ revokedAt: T0, id: '' }, 1);
      const rest = await ctx.stores.sessions.listRevokedSince(first[0]!, 10);
      expect([...first, ...rest]).toEqual(all);
    });

    it('honours the limit, and leaves out active and session-mode sessions', async () => {
      const { user } = await revokedSessions([1000, 2000, 3000]);
      await ctx.stores.sessions.create(newSession(user.id));
      await revokedSessions([1500], 'session');
      const limited = await ctx.stores.sessions.listRevokedSince({ revokedAt: T0, id: '' }, 2);
      expect(limited.map((row) => row.revokedAt)).toEqual([at(1000), at(2000)]);
      const all = await ctx.stores.sessions.listRevokedSince({ revokedAt: T0, id: '' }, 100);
      expect(all.map((row) => row.revokedAt)).toEqual([at(1000), at(2000), at(3000)]);
    });

    it('keeps listing tombstoned sessions after their user is deleted, once each, in keyset order', async () => {
      const { user, ids } = await revokedSessions([1000, 3000, 5000]);
      await revokedSessions([2000], 'session'); // never listed, never tombstoned
      const { ids: others } = await revokedSessions([4000]);
      await ctx.stores.sessions.create(newSession(user.id)); // active: not tombstoned
      expect(await ctx.stores.sessions.keepRevocationTombstones(user.id, at(3000))).toBe(2);
      expect(await ctx.stores.sessions.keepRevocationTombstones(user.id, at(3000))).toBe(0); // idempotent
      // Still stored and tombstoned: listed once.
      expect(await ctx.stores.sessions.listRevokedSince({ revokedAt: at(2500), id: '' }, 10)).toEqual([
        { id: ids[1], revokedAt: at(3000) },
        { id: others[0], revokedAt: at(4000) },
        { id: ids[2], revokedAt: at(5000) },
      ]);
      expect(await ctx.stores.users.delete(user.id)).toBe(true);
      const all = await ctx.stores.sessions.listRevokedSince({ revokedAt: T0, id: '' }, 10);
      expect(all).toEqual([
        { id: ids[1], revokedAt: at(3000) },
        { id: others[0], revokedAt: at(4000) },
        { id: ids[2], revokedAt: at(5000) },
      ]);
      // Keyset paging goes through tombstones and sessions alike.
      const first = await ctx.stores.sessions.listRevokedSince({ revokedAt: T0, id: '' }, 1);
      const second = await ctx.stores.sessions.listRevokedSince(first[0]!, 1);
      const third = await ctx.stores.sessions.listRevokedSince(second[0]!, 5);
      expect([...first, ...second, ...third]).toEqual(all);

      expect(await ctx.stores.sessions.pruneRevocationTombstones(at(5000))).toBe(1);
      expect(await ctx.stores.sessions.listRevokedSince({ revokedAt: T0, id: '' }, 10)).toEqual([
        { id: others[0], revokedAt: at(4000) },
        { id: ids[2], revokedAt: at(5000) },
      ]);
      expect(await ctx.stores.sessions.pruneRevocationTombstones(at(9000))).toBe(1);
      expect(await ctx.stores.sessions.pruneRevocationTombstones(at(9000))).toBe(0);
    });

    it('returns nothing when no revocation is newer than the cursor', async () => {
      await revokedSessions([1000]);
      expect(await ctx.stores.sessions.listRevokedSince({ revokedAt: at(1000), id: '\uffff' }, 10)).toEqual(
        [],
      );
      expect(await ctx.stores.sessions.listRevokedSince({ revokedAt: at(9000), id: '' }, 10)).toEqual([]);
    });
  });
}
