import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretSealer, decodeMasterKey, isSealed } from '../../../src/keys/secret-sealer.js';
import { KeyError } from '../../../src/token/errors.js';

const MASTER = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 8);
const PRIVATE_JWK = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', d: 'the-private-scalar' });

function keyError(fn: () => unknown): KeyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyError);
    return error as KeyError;
  }
  throw new Error('expected a KeyError');
}

/** Replaces one dot-separated part of an envelope (1 = key id, 2 = iv, 3 = ciphertext, 4 = tag). */
function withPart(envelope: string, index: number, part: string): string {
  const prefix = 'tessera-sealed.v1.';
  const parts = envelope.slice(prefix.length).split('.');
  parts[index - 1] = part;
  return prefix + parts.join('.');
}

function flipFirstByte(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return bytes.toString('base64url');
}

function partOf(envelope: string, index: number): string {
  return envelope.slice('tessera-sealed.v1.'.length).split('.')[index - 1] ?? '';
}

describe('createSecretSealer with a master key', () => {
  const sealer = createSecretSealer(MASTER);

  it('seals to an envelope that opens to the plaintext and does not contain it', () => {
    const sealed = sealer.seal('signing key k1', PRIVATE_JWK);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('the-private-scalar');
    expect(sealed).not.toContain(Buffer.from('the-private-scalar').toString('base64url'));
    expect(sealer.open('signing key k1', sealed)).toEqual({ plaintext: PRIVATE_JWK, wasSealed: true });
  });

  it('uses a fresh IV per value: sealing twice gives two different envelopes', () => {
    const a = sealer.seal('p', PRIVATE_JWK);
    const b = sealer.seal('p', PRIVATE_JWK);
    expect(a).not.toBe(b);
    expect(partOf(a, 2)).not.toBe(partOf(b, 2));
  });

  it('binds a value to its purpose: moved to another row it does not open', () => {
    const sealed = sealer.seal('signing key k1', PRIVATE_JWK);
    expect(keyError(() => sealer.open('signing key k2', sealed)).message).toMatch(
      /signing key k2 failed to decrypt: the stored value was altered/,
    );
  });

  it.each([
    ['ciphertext', 3],
    ['authentication tag', 4],
    ['IV', 2],
  ])('refuses an envelope whose %s was altered', (_name, index) => {
    const sealed = sealer.seal('p', PRIVATE_JWK);
    const altered = withPart(sealed, index, flipFirstByte(partOf(sealed, index)));
    expect(keyError(() => sealer.open('p', altered)).message).toMatch(/altered/);
  });

  it('tells a wrong master key apart from an altered value', () => {
    const sealed = createSecretSealer(OTHER).seal('signing key k1', PRIVATE_JWK);
    const error = keyError(() => sealer.open('signing key k1', sealed));
    expect(error.message).toMatch(/encrypted with another master key than TESSERA_MASTER_KEY/);
    expect(error.message).not.toContain(MASTER.toString('hex'));
  });

  it.each([
    ['too few parts', 'tessera-sealed.v1.abc.def'],
    ['too many parts', 'tessera-sealed.v1.a.b.c.d.e'],
    ['a short IV', (s: string) => withPart(s, 2, 'AAAA')],
    ['a short tag', (s: string) => withPart(s, 4, 'AAAA')],
    ['non-base64url characters', (s: string) => withPart(s, 3, 'ab+/')],
    ['an empty part', (s: string) => withPart(s, 3, '')],
  ])('refuses a malformed envelope: %s', (_name, make) => {
    const sealed = sealer.seal('p', PRIVATE_JWK);
    const malformed = typeof make === 'string' ? make : make(sealed);
    expect(keyError(() => sealer.open('p', malformed)).message).toMatch(/not a valid sealed value|altered/);
  });

  it('passes a value stored in clear through and reports it for re-sealing', () => {
    expect(sealer.open('p', PRIVATE_JWK)).toEqual({ plaintext: PRIVATE_JWK, wasSealed: false });
    expect(sealer.enabled).toBe(true);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => createSecretSealer(randomBytes(31))).toThrow(KeyError);
  });
});

describe('createSecretSealer without a master key', () => {
  const sealer = createSecretSealer(null);

  it('stores in clear and opens values stored in clear', () => {
    expect(sealer.enabled).toBe(false);
    expect(sealer.seal('p', PRIVATE_JWK)).toBe(PRIVATE_JWK);
    expect(sealer.open('p', PRIVATE_JWK)).toEqual({ plaintext: PRIVATE_JWK, wasSealed: false });
  });

  it('refuses a sealed value and names the setting that is missing', () => {
    const sealed = createSecretSealer(MASTER).seal('signing key k1', PRIVATE_JWK);
    expect(keyError(() => sealer.open('signing key k1', sealed)).message).toBe(
      'The stored signing key k1 is encrypted at rest; set TESSERA_MASTER_KEY to the key it was sealed with.',
    );
  });
});

describe('decodeMasterKey', () => {
  const bytes = randomBytes(32);

  it.each([
    ['hex', bytes.toString('hex')],
    ['upper-case hex', bytes.toString('hex').toUpperCase()],
    ['base64', bytes.toString('base64')],
    ['base64 without padding', bytes.toString('base64').replace(/=+$/, '')],
    ['base64url', bytes.toString('base64url')],
  ])('reads the %s spelling the config accepts', (_name, text) => {
    expect(decodeMasterKey(text).equals(bytes)).toBe(true);
  });

  it('gives the same sealer for every spelling of the same key', () => {
    const sealed = createSecretSealer(decodeMasterKey(bytes.toString('hex'))).seal('p', 'v');
    expect(createSecretSealer(decodeMasterKey(bytes.toString('base64url'))).open('p', sealed).plaintext).toBe(
      'v',
    );
  });

  it('refuses a key that does not decode to 32 bytes', () => {
    expect(() => decodeMasterKey(randomBytes(16).toString('base64'))).toThrow(KeyError);
  });
});
