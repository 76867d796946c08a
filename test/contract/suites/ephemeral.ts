import { describe, expect, it } from 'vitest';
import type { StoreContext } from './fixtures.js';

export function describeEphemeralStore(ctx: StoreContext): void {
  describe('EphemeralStore', () => {
    it('increments a counter within its lifetime and reports the seconds left', async () => {
      const { ephemeral } = ctx.stores;
      expect(await ephemeral.increment('ip:1', 60)).toEqual({ count: 1, ttlSeconds: 60 });
      ctx.clock.advanceSeconds(10);
      expect(await ephemeral.increment('ip:1', 60)).toEqual({ count: 2, ttlSeconds: 50 });
      ctx.clock.advanceSeconds(49.5);
      // The lifetime is fixed by the first increment; later ones do not extend it. Seconds round up.
      expect(await ephemeral.increment('ip:1', 60)).toEqual({ count: 3, ttlSeconds: 1 });
      expect(await ephemeral.increment('ip:2', 60)).toEqual({ count: 1, ttlSeconds: 60 });
    });

    it('starts a counter again once it has expired (expiry is exclusive)', async () => {
      const { ephemeral } = ctx.stores;
      await ephemeral.increment('k', 30);
      await ephemeral.increment('k', 30);
      ctx.clock.advanceSeconds(30);
      expect(await ephemeral.increment('k', 5)).toEqual({ count: 1, ttlSeconds: 5 });
      ctx.clock.advanceSeconds(4);
      expect(await ephemeral.increment('k', 5)).toEqual({ count: 2, ttlSeconds: 1 });
    });

    it('reads a count without changing it: 0 when absent, expired or a value', async () => {
      const { ephemeral } = ctx.stores;
      expect(await ephemeral.count('failures')).toBe(0);
      await ephemeral.increment('failures', 30);
      await ephemeral.increment('failures', 30);
      expect(await ephemeral.count('failures')).toBe(2);
      expect(await ephemeral.count('failures')).toBe(2);
      await ephemeral.set('value', 'v', 30);
      expect(await ephemeral.count('value')).toBe(0);
      ctx.clock.advanceSeconds(30);
      expect(await ephemeral.count('failures')).toBe(0);
    });

    it('never loses a count under concurrent increments', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => ctx.stores.ephemeral.increment('hot', 60)),
      );
      expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    it('hands a value out once with getAndDelete', async () => {
      const { ephemeral } = ctx.stores;
      await ephemeral.set('code', 'one-time', 300);
      expect(await ephemeral.getAndDelete('code')).toBe('one-time');
      expect(await ephemeral.getAndDelete('code')).toBeUndefined();
      expect(await ephemeral.getAndDelete('never-set')).toBeUndefined();
    });

    it('reads a value with get without consuming it, and never reads a counter or an expired value', async () => {
      const { ephemeral } = ctx.stores;
      await ephemeral.set('lock', 'until', 60);
      expect(await ephemeral.get('lock')).toBe('until');
      expect(await ephemeral.get('lock')).toBe('until');
      await ephemeral.increment('counter', 60);
      expect(await ephemeral.get('counter')).toBeUndefined();
      expect(await ephemeral.get('never-set')).toBeUndefined();
      ctx.clock.advanceSeconds(60);
      expect(await ephemeral.get('lock')).toBeUndefined();
    });

    it('forgets a value once it expires', async () => {
      const { ephemeral } = ctx.stores;
      await ephemeral.set('code', 'v', 60);
      ctx.clock.advanceSeconds(59);
      await ephemeral.set('other', 'w', 60);
      ctx.clock.advanceSeconds(1);
      expect(await ephemeral.getAndDelete('code')).toBeUndefined();
      expect(await ephemeral.getAndDelete('other')).toBe('w');
    });

    it('set replaces the value and the lifetime', async () => {
      const { ephemeral } = ctx.stores;
      await ephemeral.set('k', 'old', 10);
      ctx.clock.advanceSeconds(5);
      await ephemeral.set('k', 'new', 10);
      ctx.clock.advanceSeconds(9);
      expect(await ephemeral.getAndDelete('k')).toBe('new');
    });

    it('set resets a counter, and a counter has no value to hand out', async () => {
      const { ephemeral } = ctx.stores;
      await ephemeral.increment('k', 60);
      await ephemeral.set('k', 'v', 60);
      expect(await ephemeral.increment('k', 60)).toEqual({ count: 1, ttlSeconds: 60 });
      await ephemeral.increment('counter', 60);
      expect(await ephemeral.getAndDelete('counter')).toBeUndefined();
      expect(await ephemeral.increment('counter', 60)).toEqual({ count: 1, ttlSeconds: 60 });
    });

    it('delete removes a key, and deleting an unknown key is fine', async () => {
      const { ephemeral } = ctx.stores;
      await ephemeral.set('k', 'v', 60);
      await ephemeral.increment('n', 60);
      await ephemeral.delete('k');
      await ephemeral.delete('n');
      await ephemeral.delete('never-set');
      expect(await ephemeral.getAndDelete('k')).toBeUndefined();
      expect(await ephemeral.increment('n', 60)).toEqual({ count: 1, ttlSeconds: 60 });
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses ttlSeconds = %s', async (ttlSeconds) => {
      await expect(ctx.stores.ephemeral.increment('k', ttlSeconds)).rejects.toThrow(TypeError);
      await expect(ctx.stores.ephemeral.set('k', 'v', ttlSeconds)).rejects.toThrow(TypeError);
    });

    it('keeps counting correctly across the periodic sweep of expired keys', async () => {
      const { ephemeral } = ctx.stores;
      await ephemeral.increment('long', 3600);
      for (let i = 0; i < 300; i += 1) await ephemeral.set(`short:${i}`, 'v', 1);
      ctx.clock.advanceSeconds(2);
      for (let i = 0; i < 300; i += 1) await ephemeral.increment(`burst:${i}`, 1);
      expect(await ephemeral.increment('long', 3600)).toEqual({ count: 2, ttlSeconds: 3598 });
      expect(await ephemeral.getAndDelete('short:0')).toBeUndefined();
    });
  });
}
