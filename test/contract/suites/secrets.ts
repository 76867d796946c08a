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
  });
}
