import { verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { ALGORITHMS } from '../../../src/token/algorithms.js';
import { curveOrder, isEcdsaSignatureInRange } from '../../../src/token/ecdsa-range.js';
import type { JwsKey } from '../../../src/token/key.js';
import { createSignature, isSignatureValid } from '../../../src/token/signature.js';

const CURVES = [
  { alg: 'ES256', bytes: 32 },
  { alg: 'ES384', bytes: 48 },
  { alg: 'ES512', bytes: 66 },
] as const;

const toBig = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const toBytes = (value: bigint, length: number) =>
  Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
const sig = (r: bigint, s: bigint, length: number) => Buffer.concat([toBytes(r, length), toBytes(s, length)]);

describe('curveOrder', () => {
  it.each(CURVES)('gives the $alg order with the JWA component length', ({ alg, bytes }) => {
    expect(ALGORITHMS[alg].ecComponentBytes).toBe(bytes);
    expect(curveOrder(bytes).length).toBe(bytes);
  });

  it.each([0, 31, 33, 64, 65, 67])('throws a TypeError for %i-byte components', (bytes) => {
    expect(() => curveOrder(bytes)).toThrow(TypeError);
  });
});

describe('isEcdsaSignatureInRange', () => {
  describe.each(CURVES)('$alg', ({ bytes }) => {
    const n = () => toBig(curveOrder(bytes));

    it.each([
      ['r = s = 1', 1n, 1n],
      ['r = s = n - 1', -1n, -1n],
      ['r = 1, s = n - 1', 1n, -1n],
      ['r = n - 1, s = 1', -1n, 1n],
    ])('accepts %s', (_name, r, s) => {
      const value = (v: bigint) => (v < 0n ? n() + v : v);
      expect(isEcdsaSignatureInRange(sig(value(r), value(s), bytes), bytes)).toBe(true);
    });

    it.each([
      ['r = s = 0 (CVE-2022-21449)', 0n, 0n],
      ['r = 0', 0n, 1n],
      ['s = 0', 1n, 0n],
      ['r = n', 'n', 1n],
      ['s = n', 1n, 'n'],
      ['r = s = n', 'n', 'n'],
      ['r = n + 1', 'n+1', 1n],
      ['s = n + 1', 1n, 'n+1'],
      ['r = 2^(8·len) − 1', 'max', 1n],
      ['s = 2^(8·len) − 1', 1n, 'max'],
    ] as const)('refuses %s', (_name, r, s) => {
      const value = (v: bigint | 'n' | 'n+1' | 'max') =>
        v === 'n' ? n() : v === 'n+1' ? n() + 1n : v === 'max' ? (1n << BigInt(8 * bytes)) - 1n : v;
      expect(isEcdsaSignatureInRange(sig(value(r), value(s), bytes), bytes)).toBe(false);
    });

    it('refuses a value one above n in its last byte', () => {
      const order = Buffer.from(curveOrder(bytes));
      const justAbove = Buffer.from(order);
      justAbove[bytes - 1]! += 1;
      const one = toBytes(1n, bytes);
      expect(isEcdsaSignatureInRange(Buffer.concat([justAbove, one]), bytes)).toBe(false);
      expect(isEcdsaSignatureInRange(Buffer.concat([one, justAbove]), bytes)).toBe(false);
    });

    it('refuses a value above n whose later bytes are smaller (the first differing byte decides)', () => {
      const order = Buffer.from(curveOrder(bytes));
      const above = Buffer.alloc(bytes);
      // Leading bytes equal to n up to the first non-0xff byte, then one larger, then zeros.
      const firstBelowMax = order.findIndex((byte) => byte !== 0xff);
      order.copy(above, 0, 0, firstBelowMax);
      above[firstBelowMax] = order[firstBelowMax]! + 1;
      expect(toBig(above) > toBig(order)).toBe(true);
      expect(isEcdsaSignatureInRange(Buffer.concat([above, toBytes(1n, bytes)]), bytes)).toBe(false);
    });

    it.each([
      ['empty', 0],
      ['one byte short', -1],
      ['one byte long', 1],
      ['DER-sized (72 bytes)', 'der'],
      ['half length', 'half'],
    ] as const)('refuses a signature that is %s', (_name, delta) => {
      const length =
        delta === 'der' ? 72 : delta === 'half' ? bytes : delta === 0 ? 0 : 2 * bytes + (delta as number);
      const value = Buffer.alloc(Math.max(length, 0), 0x01);
      expect(isEcdsaSignatureInRange(value, bytes)).toBe(length === 2 * bytes);
    });
  });
});

describe('the curve orders are the real ones (ECDSA malleability: (r, n − s) verifies too)', () => {
  const keys: Partial<Record<(typeof CURVES)[number]['alg'], JwsKey>> = {};
  beforeAll(() => {
    for (const { alg } of CURVES) keys[alg] = generateKey(alg, { kid: alg });
  });

  it.each(CURVES)('$alg', ({ alg, bytes }) => {
    const key = keys[alg]!;
    const n = toBig(curveOrder(bytes));
    for (let i = 0; i < 8; i++) {
      const input = `header.payload-${i}`;
      const original = createSignature(key.spec, key.signingKey!, input);
      const r = toBig(original.subarray(0, bytes));
      const s = toBig(original.subarray(bytes));
      const flipped = sig(r, n - s, bytes);
      expect(flipped.equals(original)).toBe(false);
      // node:crypto (OpenSSL) accepts the high-s twin: only the true n makes this hold.
      const ok = verify(
        key.spec.hash,
        Buffer.from(input),
        { key: key.verificationKey, dsaEncoding: 'ieee-p1363' },
        flipped,
      );
      expect(ok).toBe(true);
      // And the range check does not refuse it: n − s < n.
      expect(isSignatureValid(key.spec, key.verificationKey, input, flipped)).toBe(true);
      expect(isSignatureValid(key.spec, key.verificationKey, input, original)).toBe(true);
      // Off by one either way breaks it.
      expect(isSignatureValid(key.spec, key.verificationKey, input, sig(r, n - s + 1n, bytes))).toBe(false);
    }
  });
});
