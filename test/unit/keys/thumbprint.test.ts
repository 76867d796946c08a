import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { exportPrivateJwk, exportPublicJwk } from '../../../src/keys/jwk.js';
import { computeJwkThumbprint } from '../../../src/keys/thumbprint.js';

// RFC 7638 §3.1.
const RFC7638_JWK = {
  kty: 'RSA',
  n:
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs' +
    'tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n9' +
    '1CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
};

describe('computeJwkThumbprint', () => {
  it('matches RFC 7638 §3.1', () => {
    expect(computeJwkThumbprint(RFC7638_JWK)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it.each(['RS256', 'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256'] as const)(
    'matches jose for a %s key, and ignores private and optional members',
    async (alg) => {
      const key = generateKey(alg);
      const publicJwk = key.spec.family === 'hmac' ? exportPrivateJwk(key) : exportPublicJwk(key);
      const expected = await calculateJwkThumbprint(
        publicJwk as Parameters<typeof calculateJwkThumbprint>[0],
      );
      expect(computeJwkThumbprint(publicJwk)).toBe(expected);
      expect(computeJwkThumbprint(exportPrivateJwk(key))).toBe(expected);
      expect(computeJwkThumbprint({ ...publicJwk, use: 'enc', key_ops: ['x'], extra: 1 })).toBe(expected);
    },
  );

  it.each([
    ['no kty', { n: 'x', e: 'AQAB' }, /"kty"/],
    ['an unknown kty', { kty: 'XYZ' }, /"kty"/],
    ['a numeric kty', { kty: 1 }, /"kty"/],
    ['a prototype kty ("toString")', { kty: 'toString' }, /"kty"/],
    ['a prototype kty ("constructor")', { kty: 'constructor' }, /"kty"/],
    ['a prototype kty ("__proto__")', { kty: '__proto__' }, /"kty"/],
    ['RSA without n', { kty: 'RSA', e: 'AQAB' }, /"n" is missing/],
    ['RSA with a numeric e', { kty: 'RSA', n: 'x', e: 65537 }, /"e" is missing/],
    ['EC without y', { kty: 'EC', crv: 'P-256', x: 'x' }, /"y" is missing/],
    ['OKP without crv', { kty: 'OKP', x: 'x' }, /"crv" is missing/],
    ['oct without k', { kty: 'oct' }, /"k" is missing/],
  ])('throws a TypeError for a JWK with %s', (_name, jwk, message) => {
    expect(() => computeJwkThumbprint(jwk)).toThrow(TypeError);
    expect(() => computeJwkThumbprint(jwk)).toThrow(message);
  });
});
