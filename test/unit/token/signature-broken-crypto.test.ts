/**
 * Defence in depth: the ECDSA range check and the Ed25519 length check must hold even when the
 * library underneath accepts everything (CVE-2022-21449 was exactly such a library bug). Here
 * node:crypto's verify is replaced by one that says yes to any signature.
 */
import { generateKeyPairSync } from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { importKey } from '../../../src/keys/import-key.js';
import type { JwsKey } from '../../../src/token/key.js';
import { isSignatureValid } from '../../../src/token/signature.js';
import { curveOrder } from '../../../src/token/ecdsa-range.js';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof NodeCrypto>();
  return { ...original, verify: vi.fn(() => true) };
});

let es: Record<'ES256' | 'ES384' | 'ES512', JwsKey>;
let ed: JwsKey;

beforeAll(() => {
  es = {
    ES256: importKey({
      alg: 'ES256',
      keyObject: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    }),
    ES384: importKey({
      alg: 'ES384',
      keyObject: generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
    }),
    ES512: importKey({
      alg: 'ES512',
      keyObject: generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey,
    }),
  };
  ed = importKey({ alg: 'EdDSA', keyObject: generateKeyPairSync('ed25519').publicKey });
});

describe('with a node:crypto verify that accepts anything', () => {
  it.each([
    ['ES256', 32],
    ['ES384', 48],
    ['ES512', 66],
  ] as const)('%s still refuses r = s = 0, r = n, s = n and wrong lengths', (alg, length) => {
    const key = es[alg];
    const n = Buffer.from(curveOrder(length));
    const zero = Buffer.alloc(length);
    const one = Buffer.alloc(length);
    one[length - 1] = 1;
    // The mock is in place: a well-formed in-range signature "verifies".
    expect(isSignatureValid(key.spec, key.verificationKey, 'x', Buffer.concat([one, one]))).toBe(true);
    for (const signature of [
      Buffer.concat([zero, zero]),
      Buffer.concat([zero, one]),
      Buffer.concat([one, zero]),
      Buffer.concat([n, one]),
      Buffer.concat([one, n]),
      Buffer.concat([n, n]),
      Buffer.concat([one, one, Buffer.from([1])]),
      Buffer.concat([one, one]).subarray(1),
      Buffer.alloc(0),
    ]) {
      expect(isSignatureValid(key.spec, key.verificationKey, 'x', signature)).toBe(false);
    }
  });

  it('EdDSA still refuses a signature that is not 64 bytes', () => {
    expect(isSignatureValid(ed.spec, ed.verificationKey, 'x', Buffer.alloc(64, 1))).toBe(true);
    for (const length of [0, 32, 63, 65, 128]) {
      expect(isSignatureValid(ed.spec, ed.verificationKey, 'x', Buffer.alloc(length, 1))).toBe(false);
    }
  });
});
