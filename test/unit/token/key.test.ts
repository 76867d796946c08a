import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { KeyRing } from '../../../src/keys/keyring.js';
import { asKeyLookup, isJwsKey, singleKeyLookup, type JwsKey } from '../../../src/token/key.js';
import { deepFreeze } from '../../../src/token/deep-freeze.js';

let key: JwsKey;

beforeAll(() => {
  key = generateKey('ES256', { kid: 'only' });
});

describe('singleKeyLookup', () => {
  it('finds the key by its kid, or by its alg when there is no kid', () => {
    const lookup = singleKeyLookup(key);
    expect(lookup.findKey('only', 'ES256')).toBe(key);
    expect(lookup.findKey('only', 'HS256')).toBe(key); // the verifier then refuses the alg mismatch
    expect(lookup.findKey(undefined, 'ES256')).toBe(key);
  });

  it('finds nothing for another kid, or another alg without a kid', () => {
    const lookup = singleKeyLookup(key);
    expect(lookup.findKey('other', 'ES256')).toBeUndefined();
    expect(lookup.findKey(undefined, 'ES384')).toBeUndefined();
    expect(lookup.findKey(undefined, 'HS256')).toBeUndefined();
  });

  it('has a fixed version', () => {
    expect(singleKeyLookup(key).version).toBe(0);
  });
});

describe('asKeyLookup and isJwsKey', () => {
  it('wraps a key and passes a lookup through', () => {
    const ring = new KeyRing([key]);
    expect(asKeyLookup(ring)).toBe(ring);
    expect(asKeyLookup(key).findKey('only', 'ES256')).toBe(key);
  });

  it.each([null, undefined, 'key', {}, { spec: {} }, { verificationKey: {} }])(
    'isJwsKey(%j) is false',
    (value) => {
      expect(isJwsKey(value)).toBe(false);
    },
  );
});

describe('deepFreeze', () => {
  it('freezes objects and arrays all the way down and returns the same value', () => {
    const value = { a: [{ b: { c: 1 } }], d: 'x' };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(Object.isFrozen(value.a[0]!.b)).toBe(true);
  });

  it('leaves primitives alone', () => {
    for (const value of [1, 'x', null, undefined, true]) expect(deepFreeze(value)).toBe(value);
  });
});
