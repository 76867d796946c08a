/**
 * Weak RSA public exponents are refused at import, whichever door the key comes through.
 * @see issue #10 (2. Key import refuses weak and ambiguous keys)
 */
import { createHash, createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { importKey } from '../../../src/keys/import-key.js';
import type { Jwk } from '../../../src/keys/jwk.js';
import { expectKeyError, forge } from '../../helpers/token-kit.js';

let publicJwk: Jwk & { n: string; e: string };
let modulus: bigint;

beforeAll(() => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  publicJwk = publicKey.export({ format: 'jwk' }) as Jwk & { n: string; e: string };
  modulus = BigInt(`0x${Buffer.from(publicJwk.n, 'base64url').toString('hex')}`);
});

function toBase64url(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
}
const withExponent = (value: bigint): Jwk => ({ ...publicJwk, e: toBase64url(value) });
const asKeyObject = (jwk: Jwk): KeyObject => createPublicKey({ key: jwk, format: 'jwk' });
const asPem = (jwk: Jwk): string => asKeyObject(jwk).export({ type: 'spki', format: 'pem' }).toString();

/** EMSA-PKCS1-v1_5 of SHA-256(input) for a 2048-bit modulus: with e = 1 this is a valid "signature". */
function pkcs1Padded(input: string): Buffer {
  const digestInfo = Buffer.concat([
    Buffer.from('3031300d060960864801650304020105000420', 'hex'),
    createHash('sha256').update(input).digest(),
  ]);
  const filler = Buffer.alloc(256 - digestInfo.length - 3, 0xff);
  return Buffer.concat([Buffer.from([0, 1]), filler, Buffer.from([0]), digestInfo]);
}

describe('RSA public exponent', () => {
  it('e = 1 is refused as a JWK, as a PEM and as a KeyObject: its forged signatures never get a key', () => {
    const weak = withExponent(1n);
    const token = forge({ alg: 'RS256', typ: 'at+jwt' }, { sub: 'mallory' }, pkcs1Padded);
    const [header, payload, signature] = token.split('.');
    // The forgery is real: node:crypto alone accepts the padded message as the signature.
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        asKeyObject(weak),
        Buffer.from(signature!, 'base64url'),
      ),
    ).toBe(true);
    for (const input of [{ jwk: weak }, { pem: asPem(weak) }, { keyObject: asKeyObject(weak) }]) {
      expect(expectKeyError(() => importKey({ alg: 'RS256', ...input })).message).toMatch(/from 65537/);
    }
  });

  it.each<[string, () => bigint, RegExp]>([
    ['e = 3', () => 3n, /from 65537 up to 2\^256/],
    ['e = 65535', () => 65_535n, /from 65537 up to 2\^256/],
    ['even e = 2', () => 2n, /odd/],
    ['even e = 65538', () => 65_538n, /odd/],
    ['odd e = 2^256 + 1', () => (1n << 256n) + 1n, /from 65537 up to 2\^256/],
    ['e = n', () => modulus, /smaller than the modulus/],
    ['e = n + 2', () => modulus + 2n, /smaller than the modulus/],
  ])('refuses %s, naming the rule', (_name, value, rule) => {
    for (const alg of ['RS256', 'PS256'] as const) {
      const error = expectKeyError(() => importKey({ alg, jwk: withExponent(value()) }), {
        notInMessage: [publicJwk.n],
      });
      expect(error.message).toMatch(rule);
      expect(error.message).toContain(alg);
    }
    expectKeyError(() => importKey({ alg: 'RS256', pem: asPem(withExponent(value())) }));
  });

  it.each<[string, bigint]>([
    ['65537', 65_537n],
    ['the largest odd e below 2^256', (1n << 256n) - 1n],
  ])('accepts e = %s', (_name, value) => {
    expect(importKey({ alg: 'RS256', jwk: withExponent(value) }).alg).toBe('RS256');
  });
});
