import { createSecretKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateJwk, exportPublicJwk } from '../../../src/keys/jwk.js';
import { importKey, type ImportKeyInput } from '../../../src/keys/import-key.js';
import { computeJwkThumbprint } from '../../../src/keys/thumbprint.js';
import type { JwsAlgorithm } from '../../../src/token/algorithms.js';
import type { Jwk } from '../../../src/keys/jwk.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { verifyJwt } from '../../../src/token/jwt-verify.js';
import { b64url, expectKeyError, NOW, NOW_S } from '../../helpers/token-kit.js';

let rsa2048: { publicKey: KeyObject; privateKey: KeyObject };
let rsa1024: { publicKey: KeyObject; privateKey: KeyObject };
let rsaPss: { publicKey: KeyObject; privateKey: KeyObject };
let rsaPssSha512: { publicKey: KeyObject; privateKey: KeyObject };
let p256: { publicKey: KeyObject; privateKey: KeyObject };
let p384: { publicKey: KeyObject; privateKey: KeyObject };
let p521: { publicKey: KeyObject; privateKey: KeyObject };
let k256: { publicKey: KeyObject; privateKey: KeyObject };
let ed25519: { publicKey: KeyObject; privateKey: KeyObject };
let ed448: { publicKey: KeyObject; privateKey: KeyObject };
let x25519: { publicKey: KeyObject; privateKey: KeyObject };

beforeAll(() => {
  rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
  rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
  rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
  rsaPssSha512 = generateKeyPairSync('rsa-pss', {
    modulusLength: 2048,
    hashAlgorithm: 'sha512',
    mgf1HashAlgorithm: 'sha512',
  });
  p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  k256 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  ed25519 = generateKeyPairSync('ed25519');
  ed448 = generateKeyPairSync('ed448');
  x25519 = generateKeyPairSync('x25519');
});

const secretOf = (length: number) => Buffer.alloc(length, 0x5a);

/** A throwaway self-signed P-256 certificate (public material only; its private key was discarded). */
const TEST_CERTIFICATE_PEM = `-----BEGIN CERTIFICATE-----
MIIBbTCCAROgAwIBAgIUd5+fFKq/aPJFwVdTiVLmyea2GB4wCgYIKoZIzj0EAwIw
DDEKMAgGA1UEAwwBdDAeFw0yNjExMjQwMzE5MDJaFw0yNjExMjUwMzE5MDJaMAwx
CjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATzH/+f/ErUuQ/9
Q/nxN/7qgpG9mmondmBTj56ODqsts5LMEpwfv9XcVHGaCusZHhbM+qkykzEhKgBf
ZaWSD9/jo1MwUTAdBgNVHQ4EFgQUfUdyzMnIi2clNSl3YIE09VQSYagwHwYDVR0j
BBgwFoAUfUdyzMnIi2clNSl3YIE09VQSYagwDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNIADBFAiEA/wiJlhh0ST4ZAUnGGrLPTodigTLAozo22BJ1Q/KHRLsC
IF0LwCDlmxDUtNcazSzxjWg05AJnCTAk40rs7zV2jWQD
-----END CERTIFICATE-----
`;

describe('importKey: accepted material', () => {
  it.each([
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
    ['HS256', 100],
  ] as const)('%s with a %i-byte secret, as bytes, text, oct JWK and KeyObject', (alg, length) => {
    const bytes = Buffer.alloc(length, 0x41); // "AAAA…": valid text too
    for (const material of [
      { secret: bytes },
      { secret: new Uint8Array(bytes) },
      { secret: bytes.toString('utf8') },
      { jwk: { kty: 'oct', k: b64url(bytes) } },
      { keyObject: createSecretKey(bytes) },
    ]) {
      const key = importKey({ alg, ...material });
      expect(key.alg).toBe(alg);
      expect(key.verificationKey.type).toBe('secret');
      expect(key.signingKey).toBe(key.verificationKey);
    }
  });

  it('a private key gives a signing key whose public half verifies', () => {
    const key = importKey({ alg: 'ES256', keyObject: p256.privateKey });
    expect(key.signingKey).toBe(p256.privateKey);
    expect(key.verificationKey.type).toBe('public');
    const token = signJwt({ exp: NOW_S + 60 }, key);
    expect(verifyJwt(token, key, { now: NOW }).payload.exp).toBe(NOW_S + 60);
  });

  it('a public key gives a verification-only key that cannot sign', () => {
    const key = importKey({ alg: 'ES256', keyObject: p256.publicKey });
    expect(key.signingKey).toBeUndefined();
    expect(() => signJwt({ exp: NOW_S + 60 }, key)).toThrow(TypeError);
  });

  it.each([
    ['RS256', () => rsa2048],
    ['PS384', () => rsa2048],
    ['ES256', () => p256],
    ['ES384', () => p384],
    ['ES512', () => p521],
    ['EdDSA', () => ed25519],
  ] as const)('%s from PEM (private and public) and JWK (private and public)', (alg, pair) => {
    const { privateKey, publicKey } = pair();
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const privateJwk = privateKey.export({ format: 'jwk' }) as Jwk;
    const publicJwk = publicKey.export({ format: 'jwk' }) as Jwk;
    expect(importKey({ alg, pem: privatePem }).signingKey?.type).toBe('private');
    expect(importKey({ alg, pem: publicPem }).signingKey).toBeUndefined();
    expect(importKey({ alg, jwk: privateJwk }).signingKey?.type).toBe('private');
    expect(importKey({ alg, jwk: publicJwk }).signingKey).toBeUndefined();
  });

  it('accepts a PKCS#1 RSA PEM and a SEC1 EC PEM', () => {
    expect(
      importKey({ alg: 'RS256', pem: rsa2048.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string })
        .signingKey,
    ).toBeDefined();
    expect(
      importKey({ alg: 'ES256', pem: p256.privateKey.export({ type: 'sec1', format: 'pem' }) as string })
        .signingKey,
    ).toBeDefined();
  });

  it('accepts JWK alg, use and key_ops that agree', () => {
    const jwk = p256.publicKey.export({ format: 'jwk' }) as Jwk;
    expect(() =>
      importKey({ alg: 'ES256', jwk: { ...jwk, alg: 'ES256', use: 'sig', key_ops: ['verify'] } }),
    ).not.toThrow();
    expect(() => importKey({ alg: 'ES256', jwk: { ...jwk, key_ops: ['encrypt', 'sign'] } })).not.toThrow();
  });

  it('takes the kid from the input, else the JWK, else the RFC 7638 thumbprint', () => {
    const jwk = p256.publicKey.export({ format: 'jwk' }) as Jwk;
    expect(importKey({ alg: 'ES256', jwk: { ...jwk, kid: 'from-jwk' } }).kid).toBe('from-jwk');
    expect(importKey({ alg: 'ES256', jwk: { ...jwk, kid: 'from-jwk' }, kid: 'given' }).kid).toBe('given');
    expect(importKey({ alg: 'ES256', jwk }).kid).toBe(computeJwkThumbprint(jwk));
    expect(importKey({ alg: 'ES256', keyObject: p256.privateKey }).kid).toBe(computeJwkThumbprint(jwk));
    expect(importKey({ alg: 'ES256', jwk: { ...jwk, kid: 42 as unknown as string } }).kid).toBe(
      computeJwkThumbprint(jwk),
    );
    expect(importKey({ alg: 'ES256', jwk, kid: 'k'.repeat(256) }).kid).toHaveLength(256);
  });

  it('returns a frozen key', () => {
    const key = importKey({ alg: 'HS256', secret: secretOf(32) });
    expect(Object.isFrozen(key)).toBe(true);
  });
});

describe('importKey: refusals (key_invalid)', () => {
  it.each(['none', 'None', 'HS1', 'RS1', 'ES256K', 'hs256', '', undefined, null, '__proto__'])(
    'refuses alg %j',
    (alg) => {
      expectKeyError(() => importKey({ alg: alg as JwsAlgorithm, secret: secretOf(64) }));
    },
  );

  it.each([
    ['HS256', 31],
    ['HS256', 16],
    ['HS256', 0],
    ['HS384', 47],
    ['HS384', 32],
    ['HS512', 63],
    ['HS512', 48],
  ] as const)('refuses a %s secret of %i bytes, through every door', (alg, length) => {
    const bytes = secretOf(length);
    const secretText = bytes.toString('latin1');
    for (const material of [
      { secret: bytes },
      { secret: secretText },
      { jwk: { kty: 'oct', k: b64url(bytes) } },
      ...(length > 0 ? [{ keyObject: createSecretKey(bytes) }] : []),
    ]) {
      const error = expectKeyError(() => importKey({ alg, ...material }), {
        notInMessage: length > 8 ? [secretText] : [],
      });
      expect(error.message).toContain(alg);
    }
  });

  it.each([
    ['padding', (k: string) => `${k}=`],
    ['standard-alphabet characters', (k: string) => k.replace(/-/g, '+').replace(/_/g, '/') + '+/'],
    ['whitespace', (k: string) => `${k.slice(0, 10)} ${k.slice(10)}`],
  ])('refuses an oct JWK whose "k" has %s (strict base64url only)', (_name, spoil) => {
    const error = expectKeyError(() =>
      importKey({ alg: 'HS256', jwk: { kty: 'oct', k: spoil(b64url(secretOf(32))) } }),
    );
    expect(error.message).toMatch(/strict base64url/);
  });

  it.each([
    ['a raw secret for RS256', { alg: 'RS256', secret: secretOf(64) }, /raw secret/],
    ['a raw secret for ES256', { alg: 'ES256', secret: secretOf(64) }, /raw secret/],
    ['a raw secret for EdDSA', { alg: 'EdDSA', secret: secretOf(64) }, /raw secret/],
    [
      'an oct JWK for RS256',
      { alg: 'RS256', jwk: { kty: 'oct', k: b64url(secretOf(64)) } },
      /asymmetric key/,
    ],
    [
      'a secret KeyObject for ES256',
      { alg: 'ES256', keyObject: createSecretKey(secretOf(64)) },
      /asymmetric key/,
    ],
    [
      'a secret KeyObject for EdDSA',
      { alg: 'EdDSA', keyObject: createSecretKey(secretOf(64)) },
      /asymmetric key/,
    ],
  ] as const)('refuses %s', (_name, input, message) => {
    expect(expectKeyError(() => importKey(input as ImportKeyInput)).message).toMatch(message);
  });

  it.each([
    ['RS256, 1024-bit', 'RS256', () => rsa1024.privateKey],
    ['RS256, 1024-bit public', 'RS256', () => rsa1024.publicKey],
    ['PS256, 1024-bit', 'PS256', () => rsa1024.privateKey],
    ['RS512, 1024-bit', 'RS512', () => rsa1024.publicKey],
    ['ES256 with a P-384 key', 'ES256', () => p384.privateKey],
    ['ES256 with a P-521 key', 'ES256', () => p521.publicKey],
    ['ES384 with a P-256 key', 'ES384', () => p256.privateKey],
    ['ES512 with a P-384 key', 'ES512', () => p384.publicKey],
    ['ES256 with a secp256k1 key', 'ES256', () => k256.privateKey],
    ['ES256 with an Ed25519 key', 'ES256', () => ed25519.privateKey],
    ['ES256 with an RSA key', 'ES256', () => rsa2048.publicKey],
    ['RS256 with an EC key', 'RS256', () => p256.privateKey],
    ['PS256 with an Ed25519 key', 'PS256', () => ed25519.publicKey],
    ['RS256 with an RSASSA-PSS key', 'RS256', () => rsaPss.privateKey],
    ['EdDSA with an Ed448 key', 'EdDSA', () => ed448.privateKey],
    ['EdDSA with an X25519 key', 'EdDSA', () => x25519.publicKey],
    ['EdDSA with a P-256 key', 'EdDSA', () => p256.privateKey],
    ['HS256 with a private key', 'HS256', () => p256.privateKey],
    ['HS256 with a public key', 'HS256', () => rsa2048.publicKey],
  ] as const)('refuses %s', (_name, alg, keyObject) => {
    const error = expectKeyError(() => importKey({ alg, keyObject: keyObject() }));
    expect(error.message).toContain(alg);
  });

  it.each([
    ['PS256, unrestricted', 'PS256', () => rsaPss],
    ['PS256, restricted to SHA-512', 'PS256', () => rsaPssSha512],
    ['PS512, restricted to SHA-512', 'PS512', () => rsaPssSha512],
  ] as const)(
    'refuses an RSASSA-PSS-only (rsa-pss) key for %s: it has no JWK form to publish or thumbprint',
    (_name, alg, pair) => {
      for (const keyObject of [pair().privateKey, pair().publicKey]) {
        expectKeyError(() => importKey({ alg, keyObject }));
        expectKeyError(() => importKey({ alg, keyObject, kid: 'explicit' }));
      }
      const pem = pair().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      expectKeyError(() => importKey({ alg, pem }));
    },
  );

  it('refuses a key from a JWK whose alg names another algorithm', () => {
    const jwk = p256.publicKey.export({ format: 'jwk' }) as Jwk;
    for (const alg of ['ES384', 'RS256', 'none', 'es256']) {
      expectKeyError(() => importKey({ alg: 'ES256', jwk: { ...jwk, alg } }));
    }
    expectKeyError(() =>
      importKey({ alg: 'HS256', jwk: { kty: 'oct', k: b64url(secretOf(32)), alg: 'HS512' } }),
    );
  });

  it.each([
    ['use "enc"', { use: 'enc' }],
    ['use "SIG"', { use: 'SIG' }],
    ['key_ops without sign or verify', { key_ops: ['encrypt', 'decrypt'] }],
    ['empty key_ops', { key_ops: [] }],
    ['key_ops as a string', { key_ops: 'sign' }],
  ])('refuses a JWK with %s', (_name, extra) => {
    const jwk = p256.publicKey.export({ format: 'jwk' }) as Jwk;
    expectKeyError(() => importKey({ alg: 'ES256', jwk: { ...jwk, ...extra } as Jwk }));
  });

  it.each([
    ['null', null],
    ['a string', '{"kty":"EC"}'],
    ['no kty', { crv: 'P-256' }],
    ['a numeric kty', { kty: 1 }],
  ])('refuses a JWK that is %s', (_name, jwk) => {
    const error = expectKeyError(() => importKey({ alg: 'ES256', jwk: jwk as unknown as Jwk }));
    expect(error.message).toMatch(/no "kty"/);
  });

  it.each([
    ['an oct JWK without k', { kty: 'oct' }],
    ['an oct JWK with a numeric k', { kty: 'oct', k: 42 }],
    ['an oct JWK whose k is an array of byte values', { kty: 'oct', k: Array.from({ length: 64 }, () => 7) }],
    ['an EC JWK without y', { kty: 'EC', crv: 'P-256', x: 'AAAA' }],
    ['an EC JWK on an unknown curve', { kty: 'EC', crv: 'P-999', x: 'AAAA', y: 'AAAA' }],
    ['an RSA JWK with garbage n', { kty: 'RSA', n: '!!', e: 'AQAB' }],
    ['an unknown kty', { kty: 'XYZ' }],
  ])('refuses %s', (_name, jwk) => {
    const alg = jwk.kty === 'oct' ? 'HS256' : jwk.kty === 'RSA' ? 'RS256' : 'ES256';
    expectKeyError(() => importKey({ alg, jwk: jwk as Jwk }));
  });

  it.each([
    ['not a PEM at all', 'hello'],
    ['a PEM with a garbage body', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'],
    [
      'a private PEM with a garbage body',
      '-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n',
    ],
    ['a truncated PEM', '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n'],
    ['an empty string', ''],
  ])('refuses %s, keeping the cause and not echoing the PEM', (_name, pem) => {
    const error = expectKeyError(() => importKey({ alg: 'ES256', pem }), {
      notInMessage: pem.length > 8 ? [pem, 'AAAA'] : [],
    });
    expect(error.cause).toBeDefined();
  });

  it('refuses a pem that is not a string, even a Buffer holding a valid PEM', () => {
    const pem = p256.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expectKeyError(() => importKey({ alg: 'ES256', pem: Buffer.from('x') as unknown as string }));
    expectKeyError(() => importKey({ alg: 'ES256', pem: Buffer.from(pem) as unknown as string }));
  });

  it('refuses a keyObject that is not a KeyObject, even one that looks like a secret key', () => {
    expectKeyError(() => importKey({ alg: 'ES256', keyObject: {} as KeyObject }));
    expectKeyError(() => importKey({ alg: 'HS256', keyObject: secretOf(32) as unknown as KeyObject }));
    const lookalike = {
      type: 'secret',
      symmetricKeySize: 64,
      export: () => secretOf(64),
    } as unknown as KeyObject;
    expectKeyError(() => importKey({ alg: 'HS256', keyObject: lookalike }));
  });

  it('refuses input with no key material', () => {
    expectKeyError(() => importKey({ alg: 'HS256' } as ImportKeyInput));
  });

  it.each([
    ['empty', ''],
    ['257 characters', 'k'.repeat(257)],
    ['a number', 7],
  ])('refuses a kid that is %s', (_name, kid) => {
    expectKeyError(() => importKey({ alg: 'HS256', secret: secretOf(32), kid: kid as string }));
  });

  it('refuses public keys disguised as HMAC secrets (PEM, DER, JWK text)', () => {
    const pem = rsa2048.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const der = rsa2048.publicKey.export({ type: 'spki', format: 'der' });
    const pkcs1 = rsa2048.publicKey.export({ type: 'pkcs1', format: 'der' });
    const ecDer = p256.publicKey.export({ type: 'spki', format: 'der' });
    const jwkText = JSON.stringify(exportPublicJwk(importKey({ alg: 'ES256', keyObject: p256.publicKey })));
    const privateJwkText = JSON.stringify(
      exportPrivateJwk(importKey({ alg: 'ES256', keyObject: p256.privateKey })),
    );
    for (const secret of [pem, der, pkcs1, ecDer, jwkText, privateJwkText, `  ${pem}`, `\n${jwkText}`]) {
      for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
        const error = expectKeyError(() => importKey({ alg, secret }));
        expect(error.message).toMatch(/PEM|JWK|DER/);
      }
    }
  });

  it('refuses an X.509 certificate (PEM or DER) as an HMAC secret', () => {
    const der = Buffer.from(new X509Certificate(TEST_CERTIFICATE_PEM).raw);
    for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
      expectKeyError(() => importKey({ alg, secret: TEST_CERTIFICATE_PEM }));
      expectKeyError(() => importKey({ alg, secret: der }));
      expectKeyError(() => importKey({ alg, jwk: { kty: 'oct', k: b64url(der) } }));
    }
  });

  it('accepts a random secret that merely starts with 0x30 or "{"', () => {
    const derLike = Buffer.concat([Buffer.from([0x30, 0x82]), secretOf(62)]);
    expect(() => importKey({ alg: 'HS512', secret: derLike })).not.toThrow();
    expect(() =>
      importKey({ alg: 'HS256', secret: '{ this is a long passphrase, no key type }' }),
    ).not.toThrow();
  });
});
