import { describe, expect, it } from 'vitest';
import { CredentialIdTakenError, type PasskeyRecord } from '../../../src/stores/passkey-store.js';
import { at, MINUTE_MS, newUser, nextId, T0, type StoreContext } from './fixtures.js';

function newPasskey(userId: string, overrides: Partial<PasskeyRecord> = {}): PasskeyRecord {
  return {
    id: nextId('passkey'),
    userId,
    credentialId: nextId('credential'),
    publicKey: 'pQECAyYgASFYIBd0kZbC4pGxkWZ6cXf8PEfR',
    counter: 0,
    transports: ['internal', 'hybrid'],
    backupEligible: true,
    backedUp: false,
    name: 'Laptop',
    createdAt: T0,
    lastUsedAt: null,
    ...overrides,
  };
}

/** PasskeyStore (migration 009): one row per WebAuthn credential, unique credential ids, owner-scoped edits. */
export function describePasskeyStore(ctx: StoreContext): void {
  describe('PasskeyStore', () => {
    it('creates and finds a passkey by credential id, every field round-tripped', async () => {
      const user = await ctx.stores.users.create(newUser());
      const passkey = newPasskey(user.id, { counter: 4_000_000_000, lastUsedAt: at(MINUTE_MS) });
      expect(await ctx.stores.passkeys.create(passkey)).toEqual(passkey);
      expect(await ctx.stores.passkeys.findByCredentialId(passkey.credentialId)).toEqual(passkey);
      expect(await ctx.stores.passkeys.findByCredentialId('no-such-credential')).toBeUndefined();
    });

    it('refuses a credential id registered already, even to another user, and keeps the first', async () => {
      const alice = await ctx.stores.users.create(newUser());
      const bob = await ctx.stores.users.create(newUser());
      const first = await ctx.stores.passkeys.create(newPasskey(alice.id));
      await expect(
        ctx.stores.passkeys.create(newPasskey(bob.id, { credentialId: first.credentialId })),
      ).rejects.toBeInstanceOf(CredentialIdTakenError);
      expect((await ctx.stores.passkeys.findByCredentialId(first.credentialId))?.userId).toBe(alice.id);
      expect(await ctx.stores.passkeys.listForUser(bob.id)).toEqual([]);
    });

    it('lists a user\u2019s passkeys oldest first, ties by id, and nobody else\u2019s', async () => {
      const alice = await ctx.stores.users.create(newUser());
      const bob = await ctx.stores.users.create(newUser());
      const late = newPasskey(alice.id, { id: 'a-late', createdAt: at(MINUTE_MS) });
      const early2 = newPasskey(alice.id, { id: 'c-early' });
      const early1 = newPasskey(alice.id, { id: 'b-early' });
      for (const passkey of [late, early2, early1, newPasskey(bob.id)])
        await ctx.stores.passkeys.create(passkey);
      expect((await ctx.stores.passkeys.listForUser(alice.id)).map((p) => p.id)).toEqual([
        'b-early',
        'c-early',
        'a-late',
      ]);
    });

    it('renames and deletes only the owner\u2019s passkey', async () => {
      const alice = await ctx.stores.users.create(newUser());
      const bob = await ctx.stores.users.create(newUser());
      const passkey = await ctx.stores.passkeys.create(newPasskey(alice.id));
      expect(await ctx.stores.passkeys.rename(bob.id, passkey.id, 'Stolen')).toBeUndefined();
      expect(await ctx.stores.passkeys.delete(bob.id, passkey.id)).toBe(false);
      expect(await ctx.stores.passkeys.rename(alice.id, passkey.id, 'Phone')).toEqual({
        ...passkey,
        name: 'Phone',
      });
      expect(await ctx.stores.passkeys.delete(alice.id, passkey.id)).toBe(true);
      expect(await ctx.stores.passkeys.delete(alice.id, passkey.id)).toBe(false);
      expect(await ctx.stores.passkeys.findByCredentialId(passkey.credentialId)).toBeUndefined();
    });

    it('records a use only while the stored counter is the expected one (compare-and-set)', async () => {
      const user = await ctx.stores.users.create(newUser());
      const passkey = await ctx.stores.passkeys.create(newPasskey(user.id, { counter: 5 }));
      const use = { counter: 6, expectedCounter: 5, backedUp: true, usedAt: at(MINUTE_MS) };
      const [first, second] = await Promise.all([
        ctx.stores.passkeys.recordUse(passkey.id, use),
        ctx.stores.passkeys.recordUse(passkey.id, { ...use, counter: 7 }),
      ]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      const stored = await ctx.stores.passkeys.findByCredentialId(passkey.credentialId);
      expect(stored).toMatchObject({ backedUp: true, lastUsedAt: at(MINUTE_MS) });
      expect([6, 7]).toContain(stored!.counter);
      expect(await ctx.stores.passkeys.recordUse('no-such-passkey', use)).toBe(false);
    });

    it('deletes a user\u2019s passkeys with the user', async () => {
      const user = await ctx.stores.users.create(newUser());
      const passkey = await ctx.stores.passkeys.create(newPasskey(user.id));
      expect(await ctx.stores.users.delete(user.id)).toBe(true);
      expect(await ctx.stores.passkeys.findByCredentialId(passkey.credentialId)).toBeUndefined();
      expect(await ctx.stores.passkeys.listForUser(user.id)).toEqual([]);
    });
  });
}
