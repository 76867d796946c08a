import { describe, expect, it } from 'vitest';
import type { SigningKeyRecord } from '../../../src/stores/types.js';
import { at, T0 } from './fixtures.js';
import type { StoreContext } from './fixtures.js';

function key(kid: string, overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  return {
    kid,
    alg: 'ES256',
    state: 'current',
    privateJwk: JSON.stringify({ kty: 'EC', crv: 'P-256', kid, d: 'private' }),
    publicJwk: JSON.stringify({ kty: 'EC', crv: 'P-256', kid }),
    createdAt: T0,
    ...overrides,
  };
}

export function describeSigningKeyStore(ctx: StoreContext): void {
  describe('SigningKeyStore', () => {
    it('lists nothing at first, then inserted keys oldest first', async () => {
      expect(await ctx.stores.signingKeys.list()).toEqual([]);
      const newer = key('b', { state: 'next', createdAt: at(1), publicJwk: null, alg: 'EdDSA' });
      const older = key('a', { state: 'retired' });
      const tie = key('c', { createdAt: at(1) });
      for (const record of [tie, newer, older]) await ctx.stores.signingKeys.insert(record);
      expect(await ctx.stores.signingKeys.list()).toEqual([older, newer, tie]);
    });

    it('refuses a duplicate kid', async () => {
      await ctx.stores.signingKeys.insert(key('a'));
      await expect(ctx.stores.signingKeys.insert(key('a', { alg: 'RS256' }))).rejects.toThrow();
      expect(await ctx.stores.signingKeys.list()).toEqual([key('a')]);
    });

    it('moves a key through next → current → retired, recording when; an unknown kid changes nothing', async () => {
      await ctx.stores.signingKeys.insert(key('a', { state: 'next' }));
      expect((await ctx.stores.signingKeys.list())[0]?.stateChangedAt).toBeUndefined();
      await ctx.stores.signingKeys.setState('a', 'current', at(5));
      expect((await ctx.stores.signingKeys.list())[0]).toMatchObject({
        state: 'current',
        stateChangedAt: at(5),
      });
      await ctx.stores.signingKeys.setState('a', 'retired', at(9));
      await ctx.stores.signingKeys.setState('nothing', 'current', at(10));
      expect(await ctx.stores.signingKeys.list()).toEqual([
        key('a', { state: 'retired', stateChangedAt: at(9) }),
      ]);
    });

    it('keeps a stateChangedAt given on insert', async () => {
      const record = key('a', { state: 'retired', stateChangedAt: at(3) });
      await ctx.stores.signingKeys.insert(record);
      expect(await ctx.stores.signingKeys.list()).toEqual([record]);
    });

    it('removes a key by kid; an unknown kid changes nothing', async () => {
      await ctx.stores.signingKeys.insert(key('a', { state: 'retired' }));
      await ctx.stores.signingKeys.insert(key('b', { createdAt: at(1) }));
      await ctx.stores.signingKeys.remove('a');
      await ctx.stores.signingKeys.remove('nothing');
      expect(await ctx.stores.signingKeys.list()).toEqual([key('b', { createdAt: at(1) })]);
      await ctx.stores.signingKeys.insert(key('a'));
      expect((await ctx.stores.signingKeys.list()).map((record) => record.kid)).toEqual(['a', 'b']);
    });

    it('replaces a private JWK by kid, leaving the rest; an unknown kid changes nothing', async () => {
      await ctx.stores.signingKeys.insert(key('a', { state: 'next', stateChangedAt: at(2) }));
      await ctx.stores.signingKeys.insert(key('b', { createdAt: at(1) }));
      await ctx.stores.signingKeys.replacePrivateJwk('a', 'tessera-sealed.v1.sealed');
      await ctx.stores.signingKeys.replacePrivateJwk('nothing', 'x');
      expect(await ctx.stores.signingKeys.list()).toEqual([
        key('a', { state: 'next', stateChangedAt: at(2), privateJwk: 'tessera-sealed.v1.sealed' }),
        key('b', { createdAt: at(1) }),
      ]);
    });

    it('hands out copies', async () => {
      const record = key('a');
      await ctx.stores.signingKeys.insert(record);
      record.state = 'retired';
      const [listed] = await ctx.stores.signingKeys.list();
      if (listed) listed.state = 'next';
      expect(await ctx.stores.signingKeys.list()).toEqual([key('a')]);
    });
  });
}
