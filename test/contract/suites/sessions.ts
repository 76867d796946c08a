import { describe, expect, it } from 'vitest';
import {
  at,
  DAY_MS,
  MINUTE_MS,
  newRefreshToken,
  newSession,
  newUser,
  readRotationState,
  T0,
} from './fixtures.js';
import type { StoreContext } from './fixtures.js';

export function describeSessionStore(ctx: StoreContext): void {
  describe('SessionStore', () => {
    async function userWithSessions(count: number) {
      const user = await ctx.stores.users.create(newUser());
      const sessions = [];
      for (let i = 0; i < count; i += 1) {
        sessions.push(await ctx.stores.sessions.create(newSession(user.id, { createdAt: at(i) })));
      }
      return { user, sessions };
    }

    it('creates a session and finds it by id, every field intact', async () => {
      const user = await ctx.stores.users.create(newUser());
      const input = newSession(user.id, {
        kind: 'session',
        tokenHash: 'c2Vzc2lvbi1oYXNo',
        idleExpiresAt: at(30 * MINUTE_MS),
        userAgent: null,
        ip: null,
      });
      const created = await ctx.stores.sessions.create(input);
      expect(created).toEqual({ ...input, revokedAt: null, revokedReason: null });
      expect(await ctx.stores.sessions.findById(input.id)).toEqual(created);
      expect(await ctx.stores.sessions.findById('nothing')).toBeUndefined();
    });

    it('refuses a session for an unknown user', async () => {
      await expect(ctx.stores.sessions.create(newSession('nobody'))).rejects.toThrow();
    });

    it('lists active sessions: not revoked, not past absolute expiry, only this user, oldest first', async () => {
      const { user, sessions } = await userWithSessions(2);
      const expiring = await ctx.stores.sessions.create(
        newSession(user.id, { createdAt: at(5), absoluteExpiresAt: at(DAY_MS) }),
      );
      const revoked = await ctx.stores.sessions.create(newSession(user.id));
      await ctx.stores.sessions.revoke({ userId: user.id, ids: [revoked.id], reason: 'logout', at: T0 });
      await userWithSessions(1);
      const active = await ctx.stores.sessions.listActiveForUser(user.id, at(DAY_MS - 1));
      expect(active.map((s) => s.id)).toEqual([sessions[0]?.id, sessions[1]?.id, expiring.id]);
      // Expiry is exclusive: at absoluteExpiresAt the session is over.
      const later = await ctx.stores.sessions.listActiveForUser(user.id, at(DAY_MS));
      expect(later.map((s) => s.id)).toEqual([sessions[0]?.id, sessions[1]?.id]);
      expect(await ctx.stores.sessions.listActiveForUser('nobody', T0)).toEqual([]);
    });

    it('touch moves last-seen and the idle expiry, and ignores unknown ids', async () => {
      const { sessions } = await userWithSessions(1);
      const id = sessions[0]?.id ?? '';
      await ctx.stores.sessions.touch(id, at(MINUTE_MS), at(31 * MINUTE_MS));
      expect(await ctx.stores.sessions.findById(id)).toMatchObject({
        lastSeenAt: at(MINUTE_MS),
        idleExpiresAt: at(31 * MINUTE_MS),
      });
      await ctx.stores.sessions.touch(id, at(2 * MINUTE_MS), null);
      expect(await ctx.stores.sessions.findById(id)).toMatchObject({
        lastSeenAt: at(2 * MINUTE_MS),
        idleExpiresAt: null,
      });
      await expect(ctx.stores.sessions.touch('nothing', T0, null)).resolves.toBeUndefined();
    });

    it('revokes every session of the user and their refresh tokens', async () => {
      const { user, sessions } = await userWithSessions(2);
      const tokens = await Promise.all(
        sessions.map((s) => ctx.stores.refreshTokens.insert(newRefreshToken(s.id))),
      );
      const bystander = await userWithSessions(1);
      const revokedAt = at(MINUTE_MS);
      const ids = await ctx.stores.sessions.revoke({
        userId: user.id,
        reason: 'logout_global',
        at: revokedAt,
      });
      expect(ids).toEqual(sessions.map((s) => s.id));
      for (const session of sessions) {
        expect(await ctx.stores.sessions.findById(session.id)).toMatchObject({
          revokedAt,
          revokedReason: 'logout_global',
        });
      }
      for (const token of tokens) {
        expect((await readRotationState(ctx.stores, token.id))?.token.revokedAt).toEqual(revokedAt);
      }
      expect(await ctx.stores.sessions.listActiveForUser(bystander.user.id, T0)).toHaveLength(1);
    });

    it('revokes only the given ids, and never another user’s session', async () => {
      const { user, sessions } = await userWithSessions(3);
      const stranger = await userWithSessions(1);
      const ids = await ctx.stores.sessions.revoke({
        userId: user.id,
        ids: [sessions[1]?.id ?? '', stranger.sessions[0]?.id ?? '', 'nothing'],
        reason: 'user_revoked',
        at: T0,
      });
      expect(ids).toEqual([sessions[1]?.id]);
      const active = await ctx.stores.sessions.listActiveForUser(user.id, T0);
      expect(active.map((s) => s.id)).toEqual([sessions[0]?.id, sessions[2]?.id]);
      expect(await ctx.stores.sessions.listActiveForUser(stranger.user.id, T0)).toHaveLength(1);
      expect(await ctx.stores.sessions.revoke({ userId: user.id, ids: [], reason: 'x', at: T0 })).toEqual([]);
    });

    it('revokes all but exceptId (logout scope "others"), and ids minus exceptId when both are set', async () => {
      const { user, sessions } = await userWithSessions(3);
      const [first, second, third] = sessions.map((s) => s.id);
      const ids = await ctx.stores.sessions.revoke({
        userId: user.id,
        exceptId: second,
        reason: 'others',
        at: T0,
      });
      expect(ids).toEqual([first, third]);
      expect((await ctx.stores.sessions.listActiveForUser(user.id, T0)).map((s) => s.id)).toEqual([second]);
      const again = await ctx.stores.sessions.revoke({
        userId: user.id,
        ids: [second ?? ''],
        exceptId: second,
        reason: 'x',
        at: T0,
      });
      expect(again).toEqual([]);
    });

    it('leaves already revoked sessions as they are and does not report them again', async () => {
      const { user, sessions } = await userWithSessions(2);
      const [first, second] = sessions.map((s) => s.id);
      await ctx.stores.sessions.revoke({ userId: user.id, ids: [first ?? ''], reason: 'first', at: at(1) });
      const ids = await ctx.stores.sessions.revoke({ userId: user.id, reason: 'second', at: at(2) });
      expect(ids).toEqual([second]);
      expect(await ctx.stores.sessions.findById(first ?? '')).toMatchObject({
        revokedAt: at(1),
        revokedReason: 'first',
      });
    });

    it('revokes the sessions of one OAuth client with their refresh tokens, across users, once', async () => {
      const alice = await ctx.stores.users.create(newUser());
      const bob = await ctx.stores.users.create(newUser());
      const mine = [
        await ctx.stores.sessions.create(newSession(alice.id, { clientId: 'billing', createdAt: at(2) })),
        await ctx.stores.sessions.create(newSession(bob.id, { clientId: 'billing', createdAt: at(1) })),
      ];
      const other = await ctx.stores.sessions.create(newSession(alice.id, { clientId: 'mobile' }));
      const firstParty = await ctx.stores.sessions.create(newSession(alice.id));
      const token = await ctx.stores.refreshTokens.insert(newRefreshToken(mine[0]!.id));
      const otherToken = await ctx.stores.refreshTokens.insert(newRefreshToken(other.id));

      const revoked = await ctx.stores.sessions.revokeForClient('billing', 'client_removed', at(5));
      expect(revoked).toEqual([mine[1]!.id, mine[0]!.id]); // oldest first
      for (const session of mine) {
        expect(await ctx.stores.sessions.findById(session.id)).toMatchObject({
          revokedAt: at(5),
          revokedReason: 'client_removed',
        });
      }
      expect((await readRotationState(ctx.stores, token.id))?.token.revokedAt).toEqual(at(5));
      expect((await ctx.stores.sessions.findById(other.id))?.revokedAt).toBeNull();
      expect((await ctx.stores.sessions.findById(firstParty.id))?.revokedAt).toBeNull();
      expect((await readRotationState(ctx.stores, otherToken.id))?.token.revokedAt).toBeNull();
      expect(await ctx.stores.sessions.revokeForClient('billing', 'client_removed', at(6))).toEqual([]);
      expect(await ctx.stores.sessions.revokeForClient('unknown', 'client_removed', at(6))).toEqual([]);
    });

    it('lists the selected sessions already revoked since a time: what a retried revocation announces again', async () => {
      const { user, sessions } = await userWithSessions(4);
      const [early, late, other, live] = sessions.map((s) => s.id) as [string, string, string, string];
      await ctx.stores.sessions.revoke({ userId: user.id, ids: [early], reason: 'x', at: at(1) });
      await ctx.stores.sessions.revoke({ userId: user.id, ids: [late, other], reason: 'x', at: at(5) });
      const stranger = await userWithSessions(1);
      await ctx.stores.sessions.revoke({ userId: stranger.user.id, reason: 'x', at: at(5) });
      const list = (
        selection: Parameters<typeof ctx.stores.sessions.listRevokedSelected>[0],
        since = at(0),
      ) => ctx.stores.sessions.listRevokedSelected(selection, since);

      expect(await list({ userId: user.id })).toEqual([early, late, other].sort(compareAfter(early)));
      expect(await list({ userId: user.id }, at(5))).toEqual([late, other].sort());
      expect(await list({ userId: user.id }, at(6))).toEqual([]);
      expect(await list({ userId: user.id, ids: [late, live] })).toEqual([late]);
      expect(await list({ userId: user.id, ids: [] })).toEqual([]);
      expect(await list({ userId: user.id, exceptId: early })).toEqual([late, other].sort());
      expect(await list({ userId: user.id, ids: [stranger.sessions[0]!.id] })).toEqual([]);

      const alice = await ctx.stores.users.create(newUser());
      const granted = await ctx.stores.sessions.create(newSession(alice.id, { clientId: 'gone' }));
      await ctx.stores.sessions.create(newSession(alice.id, { clientId: 'kept' }));
      expect(await list({ clientId: 'gone' })).toEqual([]);
      await ctx.stores.sessions.revokeForClient('gone', 'client_removed', at(7));
      expect(await list({ clientId: 'gone' })).toEqual([granted.id]);
      expect(await list({ clientId: 'kept' })).toEqual([]);
    });

    it('hands out copies', async () => {
      const { sessions } = await userWithSessions(1);
      const found = await ctx.stores.sessions.findById(sessions[0]?.id ?? '');
      found?.lastSeenAt.setTime(0);
      expect((await ctx.stores.sessions.findById(sessions[0]?.id ?? ''))?.lastSeenAt).toEqual(T0);
    });
  });
}

/** Oldest revocation first, then by id: `first` was revoked before the others. */
function compareAfter(first: string): (a: string, b: string) => number {
  return (a, b) => (a === first ? -1 : b === first ? 1 : a < b ? -1 : a > b ? 1 : 0);
}
