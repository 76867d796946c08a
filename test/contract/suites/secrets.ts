import { describe, expect, it, vi } from 'vitest';
import type { StoreContext } from './fixtures.js';

export function describeSecretStore(ctx: StoreContext): void {
  describe('SecretStore', () => {
    it('creates a secret once and returns the stored value afterwards', async () => {
      const create = vi.fn(() => 'first');
      expect(await ctx.stores.secrets.getOrCreate('refresh-key', create)).toBe('first');
      const again = vi.fn(() => 'second');
      expect(await ctx.stores.secrets.getOrCreate('refresh-key', again)).toBe('first');
      expect(create).toHaveBeenCalledOnce();
      expect(again).not.toHaveBeenCalled();
    });

    it('keeps secrets apart by name', async () => {
      expect(await ctx.stores.secrets.getOrCreate('a', () => 'value-a')).toBe('value-a');
      expect(await ctx.stores.secrets.getOrCreate('b', () => 'value-b')).toBe('value-b');
      expect(await ctx.stores.secrets.getOrCreate('a', () => 'other')).toBe('value-a');
    });

    it('lets the first writer win when callers race', async () => {
      const values = await Promise.all(
        Array.from({ length: 10 }, (_, i) => ctx.stores.secrets.getOrCreate('raced', () => `value-${i}`)),
      );
      expect(new Set(values).size).toBe(1);
      expect(await ctx.stores.secrets.getOrCreate('raced', () => 'late')).toBe(values[0]);
    });

    it('replaces an existing secret and ignores an unknown name', async () => {
      await ctx.stores.secrets.getOrCreate('rewritten', () => 'clear');
      await ctx.stores.secrets.replace('rewritten', 'sealed');
      await ctx.stores.secrets.replace('never-created', 'x');
      expect(await ctx.stores.secrets.getOrCreate('rewritten', () => 'other')).toBe('sealed');
      expect(await ctx.stores.secrets.listByPrefix('never-created')).toEqual([]);
    });

    it('lists by exact, case-sensitive prefix, with _ and % taken literally', async () => {
      for (const name of [
        'key_rotation:b',
        'key_rotation:a',
        'KEY_ROTATION:c',
        'keyXrotation:d',
        'key%rotation:e',
      ])
        await ctx.stores.secrets.getOrCreate(name, () => `value of ${name}`);
      expect(await ctx.stores.secrets.listByPrefix('key_rotation:')).toEqual([
        { name: 'key_rotation:a', value: 'value of key_rotation:a' },
        { name: 'key_rotation:b', value: 'value of key_rotation:b' },
      ]);
      expect((await ctx.stores.secrets.listByPrefix('key%')).map((row) => row.name)).toEqual([
        'key%rotation:e',
      ]);
    });

    it('deletes a secret (a later getOrCreate creates it afresh) and ignores an unknown name', async () => {
      await ctx.stores.secrets.getOrCreate('election:1', () => 'old');
      await ctx.stores.secrets.delete('election:1');
      await ctx.stores.secrets.delete('election:unknown');
      expect(await ctx.stores.secrets.listByPrefix('election:')).toEqual([]);
      expect(await ctx.stores.secrets.getOrCreate('election:1', () => 'new')).toBe('new');
    });
  });
}
