/**
 * The ROCA fingerprint (CVE-2017-15361) against the detector authors' published fixtures.
 * @see issue #10 (2. Key import refuses weak and ambiguous keys)
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importKey } from '../../../src/keys/import-key.js';
import { hasRocaFingerprint } from '../../../src/keys/roca-fingerprint.js';
import { expectKeyError } from '../../helpers/token-kit.js';

interface RocaVectors {
  fingerprinted: { file: string; modulus: string }[];
  fingerprintedPublicKeyPem: { file: string; pem: string };
  clean: { file: string; modulus: string }[];
}

const vectors = JSON.parse(
  readFileSync(new URL('../../vectors/roca-crocs-muni.json', import.meta.url), 'utf8'),
) as RocaVectors;

const bits = (modulus: bigint) => modulus.toString(2).length;
const toBase64url = (modulus: bigint) => {
  const hex = modulus.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
};

describe('hasRocaFingerprint', () => {
  it.each(vectors.fingerprinted.map((vector) => [vector.file, BigInt(vector.modulus)] as const))(
    'finds the fingerprint in the published vulnerable modulus %s',
    (_file, modulus) => {
      expect(hasRocaFingerprint(modulus)).toBe(true);
    },
  );

  it.each(vectors.clean.map((vector) => [vector.file, BigInt(vector.modulus)] as const))(
    'does not find it in the published clean modulus %s',
    (_file, modulus) => {
      expect(hasRocaFingerprint(modulus)).toBe(false);
    },
  );

  it('does not find it in moduli of freshly generated keys, nor in random odd numbers', () => {
    for (let i = 0; i < 3; i++) {
      const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
      expect(hasRocaFingerprint(BigInt(`0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`))).toBe(false);
    }
    for (let i = 0; i < 2000; i++) {
      expect(hasRocaFingerprint(BigInt(`0x${randomBytes(256).toString('hex')}`) | 1n)).toBe(false);
    }
  });
});

describe('importKey refuses ROCA-fingerprinted RSA keys', () => {
  const importable = vectors.fingerprinted
    .map((vector) => [vector.file, BigInt(vector.modulus)] as const)
    .filter(([, modulus]) => bits(modulus) >= 2048); // smaller ones already fail the size rule

  it.each(importable)('as a JWK (%s)', (_file, modulus) => {
    const n = toBase64url(modulus);
    for (const alg of ['RS256', 'PS384'] as const) {
      const error = expectKeyError(() => importKey({ alg, jwk: { kty: 'RSA', n, e: 'AQAB' } }), {
        notInMessage: [n],
      });
      expect(error.message).toMatch(/ROCA fingerprint \(CVE-2017-15361\)/);
    }
  });

  it(`as a PEM (${vectors.fingerprintedPublicKeyPem.file})`, () => {
    const error = expectKeyError(() =>
      importKey({ alg: 'RS256', pem: vectors.fingerprintedPublicKeyPem.pem }),
    );
    expect(error.message).toMatch(/ROCA/);
  });

  it('while a clean modulus of the same size imports', () => {
    const n = toBase64url(BigInt(vectors.clean[0]!.modulus));
    expect(importKey({ alg: 'RS256', jwk: { kty: 'RSA', n, e: 'AQAB' } }).alg).toBe('RS256');
  });
});
