import { createHmac, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importKey } from '../../../src/keys/import-key.js';
import { ALGORITHMS, JWS_ALGORITHMS, type JwsAlgorithm } from '../../../src/token/algorithms.js';
import type { JwsKey } from '../../../src/token/key.js';
import { createSignature, isHmacSegmentValid, isSignatureValid } from '../../../src/token/signature.js';

const SIGNATURE_BYTES: Record<JwsAlgorithm, number> = {
  HS256: 32,
  HS384: 48,
  HS512: 64,
  RS256: 256,
  RS384: 256,
  RS512: 256,
  PS256: 256,
  PS384: 256,
  PS512: 256,
  ES256: 64,
  ES384: 96,
  ES512: 132,
  EdDSA: 64,
};

const INPUT = 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9';
const keys = {} as Record<JwsAlgorithm, JwsKey>;
const others = {} as Record<JwsAlgorithm, JwsKey>;

beforeAll(() => {
  // RSA key generation is slow: one pair (and one other pair) serves all six RSA algorithms.
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  for (const alg of JWS_ALGORITHMS) {
    const isRsa = ALGORITHMS[alg].family.startsWith('rsa');
    keys[alg] = isRsa ? importKey({ alg, keyObject: rsa, kid: alg }) : generateKey(alg, { kid: alg });
    others[alg] = isRsa
      ? importKey({ alg, keyObject: otherRsa, kid: 'other' })
      : generateKey(alg, { kid: 'other' });
  }
});

describe.each(JWS_ALGORITHMS)('%s', (alg) => {
  it('signs with the expected length and verifies its own signature', () => {
    const key = keys[alg];
    const signature = createSignature(key.spec, key.signingKey!, INPUT);
    expect(signature.length).toBe(SIGNATURE_BYTES[alg]);
    expect(isSignatureValid(key.spec, key.verificationKey, INPUT, signature)).toBe(true);
  });

  it.each([
    ['empty', (_s: Buffer) => Buffer.alloc(0)],
    ['truncated by one byte', (s: Buffer) => s.subarray(0, s.length - 1)],
    ['one byte too long', (s: Buffer) => Buffer.concat([s, Buffer.from([0])])],
    ['twice as long', (s: Buffer) => Buffer.concat([s, s])],
    ['all zeros', (s: Buffer) => Buffer.alloc(s.length)],
    ['all 0xff', (s: Buffer) => Buffer.alloc(s.length, 0xff)],
    ['last bit flipped', (s: Buffer) => Buffer.from(s.map((b, i) => (i === s.length - 1 ? b ^ 1 : b)))],
    ['first bit flipped', (s: Buffer) => Buffer.from(s.map((b, i) => (i === 0 ? b ^ 0x80 : b)))],
  ])('returns false (never throws) for a signature that is %s', (_name, mutate) => {
    const key = keys[alg];
    const signature = mutate(createSignature(key.spec, key.signingKey!, INPUT));
    expect(isSignatureValid(key.spec, key.verificationKey, INPUT, signature)).toBe(false);
  });

  it('returns false for another signing input', () => {
    const key = keys[alg];
    const signature = createSignature(key.spec, key.signingKey!, INPUT);
    expect(isSignatureValid(key.spec, key.verificationKey, `${INPUT}x`, signature)).toBe(false);
  });

  it("returns false for another key's signature", () => {
    const key = keys[alg];
    const other = others[alg];
    const signature = createSignature(other.spec, other.signingKey!, INPUT);
    expect(isSignatureValid(key.spec, key.verificationKey, INPUT, signature)).toBe(false);
  });
});

describe('HMAC', () => {
  it('compares a prefix of the right MAC as unequal, without throwing (length check before timingSafeEqual)', () => {
    const key = keys.HS256;
    const full = createSignature(key.spec, key.signingKey!, INPUT);
    for (const length of [0, 1, 16, 31]) {
      expect(isSignatureValid(key.spec, key.verificationKey, INPUT, full.subarray(0, length))).toBe(false);
    }
  });

  it('is the RFC 2104 HMAC of the ASCII signing input', () => {
    const key = keys.HS384;
    const expected = createHmac('sha384', key.signingKey!).update(INPUT).digest();
    expect(createSignature(key.spec, key.signingKey!, INPUT).equals(expected)).toBe(true);
  });
});

describe('isHmacSegmentValid (the HMAC fast path)', () => {
  const INPUT_TEXT = 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ';

  it('accepts exactly the canonical base64url of the MAC', () => {
    const key = generateKey('HS256');
    const segment = createHmac('sha256', key.verificationKey).update(INPUT_TEXT).digest('base64url');
    expect(isHmacSegmentValid(key.spec, key.verificationKey, INPUT_TEXT, segment)).toBe(true);
  });

  it('refuses a segment where one ASCII character is replaced by a non-ASCII one with the same low byte', () => {
    const key = generateKey('HS256');
    const segment = createHmac('sha256', key.verificationKey).update(INPUT_TEXT).digest('base64url');
    // U+0141 has low byte 0x41 ("A"): a latin1 conversion would alias it; UTF-8 cannot.
    const aliased = String.fromCharCode(0x100 + segment.charCodeAt(0)) + segment.slice(1);
    expect(isHmacSegmentValid(key.spec, key.verificationKey, INPUT_TEXT, aliased)).toBe(false);
  });

  it.each([
    ['padding', (s: string) => `${s}=`],
    ['a changed character', (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)],
    ['truncation', (s: string) => s.slice(0, -1)],
    ['an empty segment', () => ''],
  ])('refuses %s', (_name, spoil) => {
    const key = generateKey('HS256');
    const segment = createHmac('sha256', key.verificationKey).update(INPUT_TEXT).digest('base64url');
    expect(isHmacSegmentValid(key.spec, key.verificationKey, INPUT_TEXT, spoil(segment))).toBe(false);
  });
});

describe('isSignatureValid: one RSA key imported for RS256 and for PS256', () => {
  it('uses each algorithm’s own padding, whichever verified first (regression: per-key options cache)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // Both imports share one verification KeyObject, as a verifier loading one public key twice does.
    const rs = importKey({ alg: 'RS256', keyObject: publicKey, kid: 'rs' });
    const ps = importKey({ alg: 'PS256', keyObject: publicKey, kid: 'ps' });
    expect(rs.verificationKey).toBe(ps.verificationKey);
    const input = 'eyJhbGciOiJSUzI1NiJ9.e30';
    const rsSignature = createSignature(rs.spec, privateKey, input);
    const psSignature = createSignature(ps.spec, privateKey, input);
    expect(isSignatureValid(rs.spec, rs.verificationKey, input, rsSignature)).toBe(true);
    expect(isSignatureValid(ps.spec, ps.verificationKey, input, psSignature)).toBe(true);
    expect(isSignatureValid(ps.spec, ps.verificationKey, input, rsSignature)).toBe(false);
    expect(isSignatureValid(rs.spec, rs.verificationKey, input, psSignature)).toBe(false);
  });
});
