import { describe, expect, it } from 'vitest';
import type { NewSecondFactor } from '../../../src/stores/second-factors.js';
import { at, MINUTE_MS, newSession, newUser, nextId, T0, type StoreContext } from './fixtures.js';

function newFactor(userId: string, overrides: Partial<NewSecondFactor> = {}): NewSecondFactor {
  return {
    id: nextId('factor'),
    userId,
    kind: 'totp',
    secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    label: 'Authenticator app',
    createdAt: T0,
    ...overrides,
  };
}

/** SecondFactorStore (migration 008) and the sign-in strength columns of sessions. */
export function describeSecondFactorStore(ctx: StoreContext): void {
  describe('SecondFactorStore', () => {
    async function userWithFactor() {
      const user = await ctx.stores.users.create(newUser());
      const factor = await ctx.stores.secondFactors.create(newFactor(user.id));
      return { user, factor };
    }

    it('creates a pending factor and lists it, every field round-tripped', async () => {
      const { user, factor } = await userWithFactor();
      const expected = { ...newFactor(user.id, { id: factor.id }), confirmedAt: null, lastUsedStep: null };
      expect(factor).toEqual(expected);
      expect(await ctx.stores.secondFactors.listForUser(user.id)).toEqual([expected]);
      expect(await ctx.stores.secondFactors.findById(factor.id)).toEqual(expected);
      expect(await ctx.stores.secondFactors.findById('no-such-factor')).toBeUndefined();
    });

    it('refuses a factor of an unknown user', async () => {
      await expect(ctx.stores.secondFactors.create(newFactor('no-such-user'))).rejects.toThrow();
    });

    it('lists oldest first, ties by id, and only the user’s own', async () => {
      const user = await ctx.stores.users.create(newUser());
      const other = await ctx.stores.users.create(newUser());
      await ctx.stores.secondFactors.create(newFactor(user.id, { id: 'f-late', createdAt: at(MINUTE_MS) }));
      await ctx.stores.secondFactors.create(newFactor(user.id, { id: 'f-b' }));
      await ctx.stores.secondFactors.create(newFactor(user.id, { id: 'f-a' }));
      await ctx.stores.secondFactors.create(newFactor(other.id, { id: 'f-other' }));
      expect((await ctx.stores.secondFactors.listForUser(user.id)).map((f) => f.id)).toEqual([
        'f-a',
        'f-b',
        'f-late',
      ]);
    });

    it('accepts a time step once: the first acceptance confirms, a same or earlier step is refused', async () => {
      const { factor } = await userWithFactor();
      expect(await ctx.stores.secondFactors.acceptStep(factor.id, 100, at(MINUTE_MS))).toBe(true);
      expect(await ctx.stores.secondFactors.acceptStep(factor.id, 100, at(2 * MINUTE_MS))).toBe(false);
      expect(await ctx.stores.secondFactors.acceptStep(factor.id, 99, at(2 * MINUTE_MS))).toBe(false);
      expect(await ctx.stores.secondFactors.findById(factor.id)).toMatchObject({
        confirmedAt: at(MINUTE_MS),
        lastUsedStep: 100,
      });
      expect(await ctx.stores.secondFactors.acceptStep(factor.id, 101, at(3 * MINUTE_MS))).toBe(true);
      // confirmedAt stays the first confirmation.
      expect(await ctx.stores.secondFactors.findById(factor.id)).toMatchObject({
        confirmedAt: at(MINUTE_MS),
        lastUsedStep: 101,
      });
      expect(await ctx.stores.secondFactors.acceptStep('no-such-factor', 5, T0)).toBe(false);
    });

    it('lets exactly one of many concurrent acceptances of one step through', async () => {
      const { factor } = await userWithFactor();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => ctx.stores.secondFactors.acceptStep(factor.id, 500, T0)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('removes a factor only for its own user', async () => {
      const { user, factor } = await userWithFactor();
      const other = await ctx.stores.users.create(newUser());
      expect(await ctx.stores.secondFactors.remove(other.id, factor.id)).toBe(false);
      expect(await ctx.stores.secondFactors.findById(factor.id)).toBeDefined();
      expect(await ctx.stores.secondFactors.remove(user.id, factor.id)).toBe(true);
      expect(await ctx.stores.secondFactors.remove(user.id, factor.id)).toBe(false);
      expect(await ctx.stores.secondFactors.listForUser(user.id)).toEqual([]);
    });

    it('removes pending factors only', async () => {
      const { user, factor: confirmed } = await userWithFactor();
      await ctx.stores.secondFactors.acceptStep(confirmed.id, 1, T0);
      await ctx.stores.secondFactors.create(newFactor(user.id));
      expect(await ctx.stores.secondFactors.removePending(user.id)).toBe(1);
      expect((await ctx.stores.secondFactors.listForUser(user.id)).map((f) => f.id)).toEqual([confirmed.id]);
    });

    it('replaces recovery codes as a whole and spends each once', async () => {
      const { user } = await userWithFactor();
      await ctx.stores.secondFactors.replaceRecoveryCodes(user.id, ['h1', 'h2', 'h3'], T0);
      expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(user.id)).toBe(3);
      expect(await ctx.stores.secondFactors.useRecoveryCode(user.id, 'h2', at(MINUTE_MS))).toBe(true);
      expect(await ctx.stores.secondFactors.useRecoveryCode(user.id, 'h2', at(MINUTE_MS))).toBe(false);
      expect(await ctx.stores.secondFactors.useRecoveryCode(user.id, 'nope', at(MINUTE_MS))).toBe(false);
      expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(user.id)).toBe(2);
      await ctx.stores.secondFactors.replaceRecoveryCodes(user.id, ['h4', 'h5'], at(MINUTE_MS));
      expect(await ctx.stores.secondFactors.useRecoveryCode(user.id, 'h1', at(MINUTE_MS))).toBe(false);
      expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(user.id)).toBe(2);
    });

    it('spends a recovery code of its own user only, and once under concurrency', async () => {
      const { user } = await userWithFactor();
      const other = await ctx.stores.users.create(newUser());
      await ctx.stores.secondFactors.replaceRecoveryCodes(user.id, ['h1'], T0);
      expect(await ctx.stores.secondFactors.useRecoveryCode(other.id, 'h1', T0)).toBe(false);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => ctx.stores.secondFactors.useRecoveryCode(user.id, 'h1', T0)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('removes every factor and recovery code of a user, and nothing of another', async () => {
      const { user } = await userWithFactor();
      const { user: other } = await userWithFactor();
      await ctx.stores.secondFactors.replaceRecoveryCodes(user.id, ['h1'], T0);
      await ctx.stores.secondFactors.replaceRecoveryCodes(other.id, ['h9'], T0);
      expect(await ctx.stores.secondFactors.removeAllForUser(user.id)).toBe(1);
      expect(await ctx.stores.secondFactors.listForUser(user.id)).toEqual([]);
      expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(user.id)).toBe(0);
      expect(await ctx.stores.secondFactors.listForUser(other.id)).toHaveLength(1);
      expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(other.id)).toBe(1);
    });

    it('deletes factors and recovery codes with their user', async () => {
      const { user, factor } = await userWithFactor();
      await ctx.stores.secondFactors.replaceRecoveryCodes(user.id, ['h1'], T0);
      await ctx.stores.users.delete(user.id);
      expect(await ctx.stores.secondFactors.findById(factor.id)).toBeUndefined();
      expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(user.id)).toBe(0);
    });

    it('keeps a session’s amr, acr and auth_time; absent ones stay absent', async () => {
      const user = await ctx.stores.users.create(newUser());
      const strong = newSession(user.id, {
        amr: ['pwd', 'otp', 'mfa'],
        acr: 'urn:tessera:acr:2fa',
        authTime: at(5),
      });
      await ctx.stores.sessions.create(strong);
      expect(await ctx.stores.sessions.findById(strong.id)).toMatchObject({
        amr: ['pwd', 'otp', 'mfa'],
        acr: 'urn:tessera:acr:2fa',
        authTime: at(5),
      });
      const plain = newSession(user.id);
      await ctx.stores.sessions.create(plain);
      const found = await ctx.stores.sessions.findById(plain.id);
      expect(found).not.toHaveProperty('amr');
      expect(found).not.toHaveProperty('acr');
      expect(found).not.toHaveProperty('authTime');
    });
  });
}
