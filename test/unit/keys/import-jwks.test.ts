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

  it('skips keys it cannot use (RFC 7517 §5): encryption keys, unknown or missing alg, bad material', () => {
    const rsaEnc = { ...exportPublicJwk(generateKey('RS256', { kid: 'enc' })), use: 'enc' };
    const noAlg = { ...exportPublicJwk(generateKey('ES256', { kid: 'no-alg' })), alg: undefined };
    const ring = importJwks({
      keys: [
        rsaEnc,
        noAlg,
        { kty: 'EC', alg: 'ES256K', kid: 'k', crv: 'secp256k1', x: 'AA', y: 'AA' },
        { kty: 'EC', alg: 'ES256', kid: 'broken', crv: 'P-256', x: 'AA', y: 'AA' },
        'not a key',
        null,
        exportPublicJwk(es256),
      ],
    });
    expect(ring.list().map((key) => key.kid)).toEqual(['es']);
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

  it('refuses a set with no usable key, and one where two keys share a kid', () => {
    expectKeyError(() => importJwks({ keys: [] }));
    expectKeyError(() => importJwks({ keys: [{ kty: 'EC', use: 'enc' }] }));
    const other = generateKey('ES256', { kid: 'es' });
    expectKeyError(() => importJwks({ keys: [exportPublicJwk(es256), exportPublicJwk(other)] }));
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
