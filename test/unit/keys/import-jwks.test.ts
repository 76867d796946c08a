import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importJwks, importVerificationKeys } from '../../../src/keys/import-jwks.js';
import { exportPrivateJwk, exportPublicJwk } from '../../../src/keys/jwk.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { verifyJwt } from '../../../src/token/jwt-verify.js';
import type { KeyLookup } from '../../../src/token/key.js';
import { expectKeyError, NOW, NOW_S } from '../../helpers/token-kit.js';

const es256 = generateKey('ES256', { kid: 'es' });
const ed = generateKey('EdDSA', { kid: 'ed' });
const claims = { sub: 'ada', exp: NOW_S + 60 };

const verifies = (token: string, keys: KeyLookup) => verifyJwt(token, keys, { now: NOW }).payload.sub;

describe('importJwks', () => {
  it('imports every usable key, each bound to its own alg', () => {
    const ring = importJwks({ keys: [exportPublicJwk(es256), exportPublicJwk(ed)] });
    expect(ring.list().map((key) => [key.kid, key.alg, key.signingKey])).toEqual([
      ['es', 'ES256', undefined],
      ['ed', 'EdDSA', undefined],
    ]);
    expect(verifies(signJwt(claims, es256), ring)).toBe('ada');
    expect(verifies(signJwt(claims, ed), ring)).toBe('ada');
  });

  it('with an alg: takes keys without alg as that alg, and skips keys of other algs', () => {
    const bare = { ...exportPublicJwk(es256), alg: undefined };
    const ring = importJwks({ keys: [bare, exportPublicJwk(ed)] }, { alg: 'ES256' });
    expect(ring.list().map((key) => [key.kid, key.alg])).toEqual([['es', 'ES256']]);
  });

  it.each<[string, unknown]>([
    ['not an object', 'keys'],
    ['no keys array', { keys: {} }],
    ['an array', [exportPublicJwk(es256)]],
  ])('refuses %s', (_name, document) => {
    expectKeyError(() => importJwks(document));
  });

  it('refuses an empty set, and one where two keys share a kid', () => {
    expectKeyError(() => importJwks({ keys: [] }));
    const other = generateKey('ES256', { kid: 'es' });
    const error = expectKeyError(() =>
      importJwks({ keys: [exportPublicJwk(es256), exportPublicJwk(other)] }),
    );
    expect(error.message).toBe('The JWK Set\'s keys[1] (kid "es") repeats the kid of keys[0] (kid "es").');
  });
});

/**
 * A configured set (a key file, createVerifier({ keys }), TESSERA_SIGNING_KEYS) refuses every member it
 * cannot use, naming it: a skipped member once hid a duplicate kid behind it.
 * @see issue #10 (2. Key import refuses weak and ambiguous keys)
 */
describe('importJwks: a configured set refuses what it cannot use, naming the member', () => {
  const secret = { kty: 'oct', kid: 'hs', alg: 'HS256', k: Buffer.alloc(32, 7).toString('base64url') };
  // 32 bytes are 43 characters whose last one carries 2 unused bits: 'd' sets one of them.
  const nonCanonical = { ...secret, kid: 'hs2', k: `${secret.k.slice(0, 42)}d` };

  it.each<[string, () => unknown, string]>([
    ['a member that is not an object', () => 'not a key', 'keys[1] is not a JSON object'],
    ['a member without kty', () => ({ kid: 'x' }), 'keys[1] (kid "x") has no "kty"'],
    ['an unsupported kty', () => ({ kty: 'EC2', kid: 'x' }), 'keys[1] (kid "x") has a "kty" other than'],
    [
      'an encryption key',
      () => ({ ...exportPublicJwk(ed), kid: 'x', use: 'enc' }),
      '(kid "x") has a "use" other than "sig"',
    ],
    [
      'a key without alg',
      () => ({ ...exportPublicJwk(ed), kid: 'x', alg: undefined }),
      '(kid "x") names no "alg"',
    ],
    [
      'an unsupported alg',
      () => ({ ...exportPublicJwk(ed), kid: 'x', alg: 'ES256K' }),
      '(kid "x") has an unsupported "alg"',
    ],
    [
      'bad material',
      () => ({ kty: 'EC', alg: 'ES256', kid: 'x', crv: 'P-256', x: 'AA', y: 'AA' }),
      '(kid "x") was refused',
    ],
    [
      'a weak key (RSA e = 3)',
      () => ({ ...exportPublicJwk(generateKey('RS256', { kid: 'x' })), e: 'Aw' }),
      '(kid "x") was refused: RS256 needs an RSA public exponent',
    ],
  ])('%s', (_name, member, message) => {
    const error = expectKeyError(() => importJwks({ keys: [exportPublicJwk(es256), member()] }));
    expect(error.message).toContain(message);
  });

  it('a k that is not canonical base64url, which once hid a duplicate kid behind it', () => {
    expect(importJwks({ keys: [secret] }).list()).toHaveLength(1);
    const error = expectKeyError(
      () => importJwks({ keys: [secret, nonCanonical, { ...secret, k: secret.k }] }),
      {
        notInMessage: [secret.k, nonCanonical.k],
      },
    );
    expect(error.message).toMatch(
      /^The JWK Set's keys\[1\] \(kid "hs2"\) was refused: .*strict base64url\.$/,
    );
    expect(() => importJwks({ keys: [secret, { ...secret }] })).toThrow(/repeats the kid of keys\[0\]/);
  });

  it('two copies of one key without kid (the same RFC 7638 thumbprint)', () => {
    const { kid: _kid, ...bare } = exportPublicJwk(es256);
    expect(() => importJwks({ keys: [bare, { ...bare }] })).toThrow(/keys\[1\] repeats the kid of keys\[0\]/);
  });

  it('a secret beside public keys', () => {
    const error = expectKeyError(() => importJwks({ keys: [exportPublicJwk(es256), secret] }));
    expect(error.message).toBe(
      'The JWK Set mixes a secret key (keys[1] (kid "hs")) with asymmetric keys (keys[0] (kid "es")); use one kind.',
    );
  });

  it('a set of secrets alone, or of asymmetric keys alone, is fine', () => {
    expect(importJwks({ keys: [secret, { ...secret, kid: 'other' }] }).list()).toHaveLength(2);
    expect(importJwks({ keys: [exportPublicJwk(es256), exportPublicJwk(ed)] }).list()).toHaveLength(2);
  });
});

describe('importVerificationKeys', () => {
  it('reads a JWK Set, a JWK, or a PEM (with alg)', () => {
    const token = signJwt(claims, es256);
    const jwks = JSON.stringify({ keys: [exportPublicJwk(es256)] });
    expect(verifies(token, importVerificationKeys(jwks))).toBe('ada');
    expect(verifies(token, importVerificationKeys(`\n${JSON.stringify(exportPublicJwk(es256))}\n`))).toBe(
      'ada',
    );
    const pem = es256.verificationKey.export({ format: 'pem', type: 'spki' }).toString();
    // A PEM has no kid: it answers for the token's kid, but only for its own algorithm.
    const fromPem = importVerificationKeys(pem, { alg: 'ES256' });
    expect(verifyJwt(token, fromPem, { now: NOW }).payload.sub).toBe('ada');
    expect(fromPem.findKey('es', 'ES384')).toBeUndefined();
  });

  it('a private JWK verifies too (its public half)', () => {
    const ring = importVerificationKeys(JSON.stringify(exportPrivateJwk(ed)));
    expect(verifies(signJwt(claims, ed), ring)).toBe('ada');
  });

  it('a JWK without alg takes the given one', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    expect(
      importVerificationKeys(JSON.stringify(jwk), { alg: 'EdDSA' }).findKey(undefined, 'EdDSA')?.alg,
    ).toBe('EdDSA');
    expectKeyError(() => importVerificationKeys(JSON.stringify(jwk)));
  });

  it.each<[string, string]>([
    ['invalid JSON', '{"kty": '],
    ['a JSON array', '[1]'],
    ['a PEM without alg', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'],
    ['anything else', 'hello'],
  ])('refuses %s', (_name, text) => {
    expectKeyError(() => importVerificationKeys(text));
  });
});
