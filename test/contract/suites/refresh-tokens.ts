import { describe, expect, it, vi } from 'vitest';
import type { RotationDecision, RotationState } from '../../../src/stores/types.js';
import {
  at,
  MINUTE_MS,
  newRefreshToken,
  newSession,
  readRotationState,
  seedFamily,
  successorOf,
  T0,
} from './fixtures.js';
import type { StoreContext } from './fixtures.js';

/** The decision the refresh flow makes when nothing is wrong: rotate if not rotated yet, else reuse. */
function rotateOnce(state: RotationState): RotationDecision {
  if (state.successor !== undefined) return { kind: 'reuse-successor' };
  return { kind: 'rotate', successor: successorOf(state.token), at: at(MINUTE_MS) };
}

export function describeRefreshTokenStore(ctx: StoreContext): void {
  describe('RefreshTokenStore', () => {
    it('inserts a token and reads it back with its session and no successor', async () => {
      const { session, token } = await seedFamily(ctx.stores);
      expect(token).toMatchObject({ sessionId: session.id, parentId: null, usedAt: null, revokedAt: null });
      expect(await readRotationState(ctx.stores, token.id)).toEqual({ token, session, successor: undefined });
    });

    it('refuses a token for an unknown session, a duplicate id, or a second child of one parent', async () => {
      const { token } = await seedFamily(ctx.stores);
      await expect(ctx.stores.refreshTokens.insert(newRefreshToken('nothing'))).rejects.toThrow();
      await expect(
        ctx.stores.refreshTokens.insert(newRefreshToken(token.sessionId, { id: token.id })),
      ).rejects.toThrow();
      await ctx.stores.refreshTokens.insert(successorOf(token));
      await expect(ctx.stores.refreshTokens.insert(successorOf(token))).rejects.toThrow();
    });

    it('returns undefined for an unknown id without calling decide', async () => {
      const decide = vi.fn((): RotationDecision => ({ kind: 'reject' }));
      expect(await ctx.stores.refreshTokens.rotate('nothing', decide)).toBeUndefined();
      expect(decide).not.toHaveBeenCalled();
    });

    it('rotate: marks the token used, inserts its one successor and touches the session', async () => {
      const { session, token } = await seedFamily(ctx.stores);
      const next = successorOf(token);
      const decision: RotationDecision = { kind: 'rotate', successor: next, at: at(MINUTE_MS) };
      const result = await ctx.stores.refreshTokens.rotate(token.id, () => decision);
      const successor = { ...next, usedAt: null, revokedAt: null };
      expect(result).toEqual({ state: { token, session, successor: undefined }, decision, successor });
      const after = await readRotationState(ctx.stores, token.id);
      expect(after?.token.usedAt).toEqual(at(MINUTE_MS));
      expect(after?.successor).toEqual(successor);
      expect(await readRotationState(ctx.stores, next.id)).toEqual({
        token: successor,
        session: { ...session, lastSeenAt: at(MINUTE_MS) },
        successor: undefined,
      });
    });

    it('reuse-successor: writes nothing and returns the successor that stands', async () => {
      const { token } = await seedFamily(ctx.stores);
      const first = await ctx.stores.refreshTokens.rotate(token.id, rotateOnce);
      const before = await readRotationState(ctx.stores, token.id);
      const again = await ctx.stores.refreshTokens.rotate(token.id, () => ({ kind: 'reuse-successor' }));
      expect(again?.successor).toEqual(first?.successor);
      expect(again?.state).toEqual(before);
      expect(await readRotationState(ctx.stores, token.id)).toEqual(before);
    });

    it('reuse-successor without a successor is a programming error', async () => {
      const { token } = await seedFamily(ctx.stores);
      await expect(
        ctx.stores.refreshTokens.rotate(token.id, () => ({ kind: 'reuse-successor' })),
      ).rejects.toThrow(TypeError);
    });

    it('revoke-family: revokes the session and all its tokens, and that is committed', async () => {
      const { user, session, token } = await seedFamily(ctx.stores);
      const second = await ctx.stores.refreshTokens.rotate(token.id, rotateOnce);
      const sibling = await ctx.stores.sessions.create(newSession(user.id));
      const siblingToken = await ctx.stores.refreshTokens.insert(newRefreshToken(sibling.id));
      const revokedAt = at(2 * MINUTE_MS);
      const decision: RotationDecision = {
        kind: 'revoke-family',
        reason: 'refresh_token_reused',
        at: revokedAt,
      };
      const result = await ctx.stores.refreshTokens.rotate(token.id, () => decision);
      expect(result?.decision).toEqual(decision);
      expect(result?.successor).toBeUndefined();
      expect(result?.state.session.revokedAt).toBeNull();
      expect(await ctx.stores.sessions.findById(session.id)).toMatchObject({
        revokedAt,
        revokedReason: 'refresh_token_reused',
      });
      expect((await readRotationState(ctx.stores, token.id))?.token.revokedAt).toEqual(revokedAt);
      expect((await readRotationState(ctx.stores, second?.successor?.id ?? ''))?.token.revokedAt).toEqual(
        revokedAt,
      );
      expect((await readRotationState(ctx.stores, siblingToken.id))?.token.revokedAt).toBeNull();
      expect(await ctx.stores.sessions.findById(sibling.id)).toMatchObject({ revokedAt: null });
    });

    it('reject: writes nothing', async () => {
      const { token } = await seedFamily(ctx.stores);
      const before = await readRotationState(ctx.stores, token.id);
      const result = await ctx.stores.refreshTokens.rotate(token.id, () => ({ kind: 'reject' }));
      expect(result).toEqual({ state: before, decision: { kind: 'reject' }, successor: undefined });
      expect(await readRotationState(ctx.stores, token.id)).toEqual(before);
    });

    it('refuses a second child: rotate on a rotated token fails and the family does not fork', async () => {
      const { token } = await seedFamily(ctx.stores);
      const first = await ctx.stores.refreshTokens.rotate(token.id, rotateOnce);
      const fork = successorOf(token);
      await expect(
        ctx.stores.refreshTokens.rotate(token.id, () => ({
          kind: 'rotate',
          successor: fork,
          at: at(2 * MINUTE_MS),
        })),
      ).rejects.toThrow(TypeError);
      const after = await readRotationState(ctx.stores, token.id);
      expect(after?.successor?.id).toBe(first?.successor?.id);
      expect(after?.token.usedAt).toEqual(at(MINUTE_MS));
      expect(await readRotationState(ctx.stores, fork.id)).toBeUndefined();
    });

    it('refuses a successor that does not name the rotated token as parent, or moves session', async () => {
      const { token } = await seedFamily(ctx.stores);
      const other = await seedFamily(ctx.stores);
      const orphan = successorOf(token, { parentId: null });
      const moved = successorOf(token, { sessionId: other.session.id });
      for (const successor of [orphan, moved]) {
        await expect(
          ctx.stores.refreshTokens.rotate(token.id, () => ({ kind: 'rotate', successor, at: T0 })),
        ).rejects.toThrow(TypeError);
      }
      expect(await readRotationState(ctx.stores, token.id)).toMatchObject({ successor: undefined, token });
    });

    it('writes nothing when decide throws', async () => {
      const { token } = await seedFamily(ctx.stores);
      const failure = new Error('decide failed');
      await expect(
        ctx.stores.refreshTokens.rotate(token.id, () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await readRotationState(ctx.stores, token.id)).toMatchObject({ token, successor: undefined });
    });

    it('gives a token exactly one successor under 50 concurrent rotations', async () => {
      const { token } = await seedFamily(ctx.stores);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => ctx.stores.refreshTokens.rotate(token.id, rotateOnce)),
      );
      const kinds = results.map((result) => result?.decision.kind);
      expect(kinds.filter((kind) => kind === 'rotate')).toHaveLength(1);
      expect(kinds.filter((kind) => kind === 'reuse-successor')).toHaveLength(49);
      const successorIds = new Set(results.map((result) => result?.successor?.id));
      expect(successorIds.size).toBe(1);
      expect((await readRotationState(ctx.stores, token.id))?.successor?.id).toBe([...successorIds][0]);
    });

    it('hands out copies', async () => {
      const { token } = await seedFamily(ctx.stores);
      const state = await readRotationState(ctx.stores, token.id);
      state?.token.createdAt.setTime(0);
      state?.session.createdAt.setTime(0);
      const again = await readRotationState(ctx.stores, token.id);
      expect(again?.token.createdAt).toEqual(T0);
      expect(again?.session.createdAt).toEqual(T0);
    });
  });
}
