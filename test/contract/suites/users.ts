import { describe, expect, it } from 'vitest';
import { EmailTakenError } from '../../../src/stores/types.js';
import { at, MINUTE_MS, newSession, newUser, readRotationState, seedFamily, T0 } from './fixtures.js';
import type { StoreContext } from './fixtures.js';

export function describeUserStore(ctx: StoreContext): void {
  describe('UserStore', () => {
    it('creates a user with the defaults and finds it by id and by e-mail', async () => {
      const input = newUser({ name: null, roles: ['user', 'admin'] });
      const created = await ctx.stores.users.create(input);
      expect(created).toEqual({
        ...input,
        disabled: false,
        failedLoginCount: 0,
        lockedUntil: null,
        emailVerifiedAt: null,
        updatedAt: T0,
      });
      expect(await ctx.stores.users.findById(input.id)).toEqual(created);
      expect(await ctx.stores.users.findByEmail(input.email)).toEqual(created);
    });

    it('returns undefined for an unknown id or e-mail', async () => {
      expect(await ctx.stores.users.findById('nobody')).toBeUndefined();
      expect(await ctx.stores.users.findByEmail('nobody@example.com')).toBeUndefined();
    });

    it('throws EmailTakenError on a duplicate e-mail and keeps the first user', async () => {
      const first = await ctx.stores.users.create(newUser({ email: 'ada@example.com' }));
      await expect(ctx.stores.users.create(newUser({ email: 'ada@example.com' }))).rejects.toBeInstanceOf(
        EmailTakenError,
      );
      expect(await ctx.stores.users.findByEmail('ada@example.com')).toEqual(first);
      expect(await ctx.stores.users.list()).toHaveLength(1);
    });

    it('rejects a duplicate id', async () => {
      const user = await ctx.stores.users.create(newUser());
      await expect(
        ctx.stores.users.create(newUser({ id: user.id, email: 'other@example.com' })),
      ).rejects.toThrow();
    });

    it('updates only the fields in the patch and returns the new record', async () => {
      const user = await ctx.stores.users.create(newUser());
      const updatedAt = at(MINUTE_MS);
      const locked = await ctx.stores.users.update(user.id, {
        failedLoginCount: 5,
        lockedUntil: at(15 * MINUTE_MS),
        roles: ['admin'],
        disabled: true,
        updatedAt,
      });
      expect(locked).toEqual({
        ...user,
        failedLoginCount: 5,
        lockedUntil: at(15 * MINUTE_MS),
        roles: ['admin'],
        disabled: true,
        updatedAt,
      });
      expect(await ctx.stores.users.findById(user.id)).toEqual(locked);
    });

    it('clears nullable fields with null and leaves undefined ones alone', async () => {
      const user = await ctx.stores.users.create(newUser());
      await ctx.stores.users.update(user.id, { lockedUntil: at(MINUTE_MS), updatedAt: at(1) });
      const cleared = await ctx.stores.users.update(user.id, {
        name: null,
        lockedUntil: null,
        passwordHash: 'new-hash',
        roles: undefined,
        updatedAt: at(2),
      });
      expect(cleared).toEqual({
        ...user,
        name: null,
        lockedUntil: null,
        passwordHash: 'new-hash',
        updatedAt: at(2),
      });
    });

    it('returns undefined when updating an unknown user', async () => {
      expect(await ctx.stores.users.update('nobody', { disabled: true, updatedAt: T0 })).toBeUndefined();
    });

    it('lists users oldest first, with limit and offset', async () => {
      const c = await ctx.stores.users.create(newUser({ id: 'c', createdAt: at(2) }));
      const a = await ctx.stores.users.create(newUser({ id: 'a', createdAt: at(1) }));
      const b = await ctx.stores.users.create(newUser({ id: 'b', createdAt: at(2) }));
      expect(await ctx.stores.users.list()).toEqual([a, b, c]);
      expect(await ctx.stores.users.list({ limit: 2 })).toEqual([a, b]);
      expect(await ctx.stores.users.list({ limit: 1, offset: 1 })).toEqual([b]);
      expect(await ctx.stores.users.list({ offset: 2 })).toEqual([c]);
      expect(await ctx.stores.users.list({ offset: 3 })).toEqual([]);
    });

    it('deletes a user with their sessions and refresh tokens, and frees the e-mail', async () => {
      const { user, session, token } = await seedFamily(ctx.stores);
      const other = await seedFamily(ctx.stores);
      expect(await ctx.stores.users.delete(user.id)).toBe(true);
      expect(await ctx.stores.users.findById(user.id)).toBeUndefined();
      expect(await ctx.stores.sessions.findById(session.id)).toBeUndefined();
      expect(await readRotationState(ctx.stores, token.id)).toBeUndefined();
      expect(await readRotationState(ctx.stores, other.token.id)).toBeDefined();
      await expect(ctx.stores.users.create(newUser({ email: user.email }))).resolves.toBeDefined();
      await expect(ctx.stores.sessions.create(newSession(user.id))).rejects.toThrow();
    });

    it('returns false when deleting an unknown user', async () => {
      expect(await ctx.stores.users.delete('nobody')).toBe(false);
    });

    it('hands out copies: mutating a returned record or the input changes nothing stored', async () => {
      const input = newUser({ roles: ['user'] });
      const created = await ctx.stores.users.create(input);
      input.roles.push('admin');
      created.roles.push('admin');
      created.createdAt.setTime(0);
      const found = await ctx.stores.users.findById(input.id);
      expect(found?.roles).toEqual(['user']);
      expect(found?.createdAt).toEqual(T0);
    });
  });
}
