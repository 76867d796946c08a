import { describe, expect, it } from 'vitest';
import type { NewAccountToken } from '../../../src/stores/account-tokens.js';
import { EmailTakenError } from '../../../src/stores/types.js';
import { at, MINUTE_MS, newUser, nextId, T0 } from './fixtures.js';
import type { StoreContext } from './fixtures.js';

function newAccountToken(userId: string, overrides: Partial<NewAccountToken> = {}): NewAccountToken {
  return {
    id: nextId('link'),
    userId,
    purpose: 'password_reset',
    tokenHash: 'c2hhMjU2LW9mLXRoZS1zZWNyZXQ',
    email: 'ada@example.com',
    createdAt: T0,
    expiresAt: at(30 * MINUTE_MS),
    ...overrides,
  };
}

/** AccountTokenStore (one-time links) and the user fields account recovery adds. */
export function describeAccountTokenStore(ctx: StoreContext): void {
  describe('AccountTokenStore', () => {
    it('stores a link and finds it by id, unused and unrevoked', async () => {
      const user = await ctx.stores.users.create(newUser());
      const token = newAccountToken(user.id, { purpose: 'email_change', email: 'new@example.com' });
      await ctx.stores.accountTokens.issue(token);
      expect(await ctx.stores.accountTokens.findById(token.id)).toEqual({
        ...token,
        usedAt: null,
        revokedAt: null,
      });
      expect(await ctx.stores.accountTokens.findById('unknown')).toBeUndefined();
    });

    it('refuses a link for a user that does not exist', async () => {
      await expect(ctx.stores.accountTokens.issue(newAccountToken('nobody'))).rejects.toThrow();
    });

    it('consumes a live link once; used, expired and revoked links are not consumed', async () => {
      const user = await ctx.stores.users.create(newUser());
      const live = newAccountToken(user.id);
      await ctx.stores.accountTokens.issue(live);
      expect(await ctx.stores.accountTokens.consume(live.id, at(MINUTE_MS))).toBe(true);
      expect(await ctx.stores.accountTokens.consume(live.id, at(MINUTE_MS))).toBe(false);
      expect((await ctx.stores.accountTokens.findById(live.id))?.usedAt).toEqual(at(MINUTE_MS));

      const expiring = newAccountToken(user.id, { purpose: 'verify_email' });
      await ctx.stores.accountTokens.issue(expiring);
      // Expiry is exclusive: at exactly expiresAt the link is dead.
      expect(await ctx.stores.accountTokens.consume(expiring.id, expiring.expiresAt)).toBe(false);
      expect((await ctx.stores.accountTokens.findById(expiring.id))?.usedAt).toBeNull();

      const revoked = newAccountToken(user.id, { purpose: 'email_change' });
      await ctx.stores.accountTokens.issue(revoked);
      expect(await ctx.stores.accountTokens.revokeForUser(user.id, ['email_change'], at(1))).toBe(1);
      expect(await ctx.stores.accountTokens.consume(revoked.id, at(2))).toBe(false);
      expect(await ctx.stores.accountTokens.consume('unknown', at(2))).toBe(false);
    });

    it('lets exactly one of many concurrent consumes win', async () => {
      const user = await ctx.stores.users.create(newUser());
      const token = newAccountToken(user.id);
      await ctx.stores.accountTokens.issue(token);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => ctx.stores.accountTokens.consume(token.id, at(MINUTE_MS))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('voids older live links of the same user and purpose when a newer one is issued', async () => {
      const user = await ctx.stores.users.create(newUser());
      const other = await ctx.stores.users.create(newUser());
      const first = newAccountToken(user.id, { createdAt: T0 });
      const otherPurpose = newAccountToken(user.id, { purpose: 'verify_email', createdAt: T0 });
      const otherUser = newAccountToken(other.id, { createdAt: T0 });
      for (const token of [first, otherPurpose, otherUser]) await ctx.stores.accountTokens.issue(token);
      const second = newAccountToken(user.id, { createdAt: at(MINUTE_MS) });
      await ctx.stores.accountTokens.issue(second);
      expect((await ctx.stores.accountTokens.findById(first.id))?.revokedAt).toEqual(at(MINUTE_MS));
      expect((await ctx.stores.accountTokens.findById(second.id))?.revokedAt).toBeNull();
      expect((await ctx.stores.accountTokens.findById(otherPurpose.id))?.revokedAt).toBeNull();
      expect((await ctx.stores.accountTokens.findById(otherUser.id))?.revokedAt).toBeNull();
    });

    it('keeps the newer link standing when an older one is issued after it (a race)', async () => {
      const user = await ctx.stores.users.create(newUser());
      const newer = newAccountToken(user.id, { createdAt: at(MINUTE_MS) });
      const older = newAccountToken(user.id, { createdAt: T0 });
      await ctx.stores.accountTokens.issue(newer);
      await ctx.stores.accountTokens.issue(older);
      expect((await ctx.stores.accountTokens.findById(newer.id))?.revokedAt).toBeNull();
      // The older one is not voided by its own issue; a later issue or a use decides. Both stay live.
      expect((await ctx.stores.accountTokens.findById(older.id))?.revokedAt).toBeNull();
    });

    it('revokes only live links of the given purposes and counts them', async () => {
      const user = await ctx.stores.users.create(newUser());
      const reset = newAccountToken(user.id);
      const change = newAccountToken(user.id, { purpose: 'email_change' });
      const used = newAccountToken(user.id, { purpose: 'verify_email' });
      for (const token of [reset, change, used]) await ctx.stores.accountTokens.issue(token);
      await ctx.stores.accountTokens.consume(used.id, at(1));
      expect(
        await ctx.stores.accountTokens.revokeForUser(user.id, ['password_reset', 'verify_email'], at(2)),
      ).toBe(1);
      expect((await ctx.stores.accountTokens.findById(reset.id))?.revokedAt).toEqual(at(2));
      expect((await ctx.stores.accountTokens.findById(change.id))?.revokedAt).toBeNull();
      expect((await ctx.stores.accountTokens.findById(used.id))?.revokedAt).toBeNull();
      expect(await ctx.stores.accountTokens.revokeForUser(user.id, [], at(3))).toBe(0);
    });

    it('prunes links that expired before the given time, and goes with its user', async () => {
      const user = await ctx.stores.users.create(newUser());
      const short = newAccountToken(user.id, { expiresAt: at(MINUTE_MS) });
      const long = newAccountToken(user.id, { purpose: 'verify_email', expiresAt: at(60 * MINUTE_MS) });
      for (const token of [short, long]) await ctx.stores.accountTokens.issue(token);
      expect(await ctx.stores.accountTokens.pruneExpired(at(2 * MINUTE_MS))).toBe(1);
      expect(await ctx.stores.accountTokens.findById(short.id)).toBeUndefined();
      expect(await ctx.stores.users.delete(user.id)).toBe(true);
      expect(await ctx.stores.accountTokens.findById(long.id)).toBeUndefined();
    });
  });

  describe('UserStore, e-mail verification and change', () => {
    it('records when the address was verified and clears it', async () => {
      const user = await ctx.stores.users.create(newUser());
      const verified = await ctx.stores.users.update(user.id, { emailVerifiedAt: at(1), updatedAt: at(1) });
      expect(verified?.emailVerifiedAt).toEqual(at(1));
      expect((await ctx.stores.users.findById(user.id))?.emailVerifiedAt).toEqual(at(1));
      const cleared = await ctx.stores.users.update(user.id, { emailVerifiedAt: null, updatedAt: at(2) });
      expect(cleared?.emailVerifiedAt).toBeNull();
    });

    it('moves a user to a new e-mail, found by the new one only', async () => {
      const user = await ctx.stores.users.create(newUser({ email: 'old@example.com' }));
      await ctx.stores.users.update(user.id, { email: 'new@example.com', updatedAt: at(1) });
      expect((await ctx.stores.users.findByEmail('new@example.com'))?.id).toBe(user.id);
      expect(await ctx.stores.users.findByEmail('old@example.com')).toBeUndefined();
      // The old address is free again.
      await ctx.stores.users.create(newUser({ email: 'old@example.com' }));
    });

    it('refuses to move a user to an e-mail another user has, changing nothing', async () => {
      const ada = await ctx.stores.users.create(newUser({ email: 'ada@example.com' }));
      await ctx.stores.users.create(newUser({ email: 'bob@example.com' }));
      await expect(
        ctx.stores.users.update(ada.id, { email: 'bob@example.com', updatedAt: at(1) }),
      ).rejects.toBeInstanceOf(EmailTakenError);
      expect(await ctx.stores.users.findById(ada.id)).toEqual(ada);
      expect((await ctx.stores.users.findByEmail('ada@example.com'))?.id).toBe(ada.id);
    });
  });
}
