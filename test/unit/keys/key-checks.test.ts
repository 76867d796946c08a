import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertKeyFitsAlgorithm } from '../../../src/keys/key-checks.js';
import { ALGORITHMS, type JwsAlgorithm } from '../../../src/token/algorithms.js';
import { expectKeyError } from '../../helpers/token-kit.js';

const pairs = {} as Record<
  'rsa2048' | 'rsa1024' | 'rsaPss' | 'p256' | 'p384' | 'p521' | 'ed25519' | 'ed448',
  KeyObject
>;

beforeAll(() => {
  pairs.rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  pairs.rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
  pairs.rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey;
  pairs.p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  pairs.p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
  pairs.p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey;
  pairs.ed25519 = generateKeyPairSync('ed25519').publicKey;
  pairs.ed448 = generateKeyPairSync('ed448').publicKey;
});

const fits = (alg: JwsAlgorithm, key: () => KeyObject) => () =>
  assertKeyFitsAlgorithm(key(), ALGORITHMS[alg]);

describe('assertKeyFitsAlgorithm', () => {
  it.each([
    ['HS256', () => createSecretKey(Buffer.alloc(32))],
    ['HS384', () => createSecretKey(Buffer.alloc(48))],
    ['HS512', () => createSecretKey(Buffer.alloc(64))],
    ['RS256', () => pairs.rsa2048],
    ['PS512', () => pairs.rsa2048],
    ['ES256', () => pairs.p256],
    ['ES384', () => pairs.p384],
    ['ES512', () => pairs.p521],
    ['EdDSA', () => pairs.ed25519],
  ] as const)('accepts a fitting key for %s', (alg, key) => {
    expect(fits(alg, key)).not.toThrow();
  });

  it.each([
    ['HS256', 'a public key', () => pairs.p256],
    ['HS256', 'a 31-byte secret', () => createSecretKey(Buffer.alloc(31))],
    ['HS384', 'a 47-byte secret', () => createSecretKey(Buffer.alloc(47))],
    ['HS512', 'a 63-byte secret', () => createSecretKey(Buffer.alloc(63))],
    ['RS256', 'a secret', () => createSecretKey(Buffer.alloc(64))],
    ['RS256', 'a 1024-bit key', () => pairs.rsa1024],
    ['PS256', 'a 1024-bit key', () => pairs.rsa1024],
    ['RS256', 'an rsa-pss key', () => pairs.rsaPss],
    ['PS256', 'an rsa-pss key', () => pairs.rsaPss],
    ['RS256', 'an EC key', () => pairs.p256],
    ['ES256', 'a P-384 key', () => pairs.p384],
    ['ES384', 'a P-521 key', () => pairs.p521],
    ['ES512', 'a P-256 key', () => pairs.p256],
    ['ES256', 'an Ed25519 key', () => pairs.ed25519],
    ['ES256', 'an RSA key', () => pairs.rsa2048],
    ['EdDSA', 'an Ed448 key', () => pairs.ed448],
    ['EdDSA', 'a P-256 key', () => pairs.p256],
    ['EdDSA', 'a secret', () => createSecretKey(Buffer.alloc(64))],
  ] as const)('refuses for %s %s', (alg, _name, key) => {
    expect(expectKeyError(fits(alg, key)).message).toContain(alg);
  });

  it.each([
    ['HS256', () => pairs.p256, /needs a secret key/],
    ['HS512', () => createSecretKey(Buffer.alloc(63)), /at least 64 bytes/],
    ['RS256', () => createSecretKey(Buffer.alloc(64)), /asymmetric key/],
    ['ES256', () => createSecretKey(Buffer.alloc(64)), /asymmetric key/],
    ['RS256', () => pairs.p256, /RSA key/],
    ['RS256', () => pairs.rsa1024, /at least 2048 bits/],
    ['ES256', () => pairs.p384, /curve P-256/],
    ['EdDSA', () => pairs.ed448, /Ed25519/],
  ] as const)('names the rule it applied (%s)', (alg, key, message) => {
    expect(expectKeyError(fits(alg, key)).message).toMatch(message);
  });
});
