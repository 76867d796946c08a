import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importKey } from '../../../src/keys/import-key.js';
import { exportPublicJwk } from '../../../src/keys/jwk.js';
import { computeJwkThumbprint } from '../../../src/keys/thumbprint.js';
import { ALGORITHMS, JWS_ALGORITHMS, type JwsAlgorithm } from '../../../src/token/algorithms.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { verifyJwt } from '../../../src/token/jwt-verify.js';
import { expectKeyError, expectTokenError, NOW, NOW_S } from '../../helpers/token-kit.js';

const EXPECTED: Record<JwsAlgorithm, { type: string; detail: Record<string, unknown> }> = {
  HS256: { type: 'secret', detail: { size: 32 } },
  HS384: { type: 'secret', detail: { size: 48 } },
  HS512: { type: 'secret', detail: { size: 64 } },
  RS256: { type: 'rsa', detail: { modulusLength: 2048 } },
  RS384: { type: 'rsa', detail: { modulusLength: 2048 } },
  RS512: { type: 'rsa', detail: { modulusLength: 2048 } },
  PS256: { type: 'rsa', detail: { modulusLength: 2048 } },
  PS384: { type: 'rsa', detail: { modulusLength: 2048 } },
  PS512: { type: 'rsa', detail: { modulusLength: 2048 } },
  ES256: { type: 'ec', detail: { namedCurve: 'prime256v1' } },
  ES384: { type: 'ec', detail: { namedCurve: 'secp384r1' } },
  ES512: { type: 'ec', detail: { namedCurve: 'secp521r1' } },
  EdDSA: { type: 'ed25519', detail: {} },
};

let otherRsa: KeyObject;

beforeAll(() => {
  otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
});

describe('generateKey', () => {
  it.each(JWS_ALGORITHMS)('%s: a fresh signing key of the right kind that signs and verifies', (alg) => {
    const key = generateKey(alg);
    const expected = EXPECTED[alg];
    expect(key.alg).toBe(alg);
    expect(key.spec).toBe(ALGORITHMS[alg]);
    expect(key.signingKey).toBeDefined();
    if (expected.type === 'secret') {
      expect(key.signingKey!.type).toBe('secret');
      expect(key.signingKey!.symmetricKeySize).toBe(expected.detail.size);
    } else {
      expect(key.signingKey!.type).toBe('private');
      expect(key.verificationKey.type).toBe('public');
      expect(key.verificationKey.asymmetricKeyType).toBe(expected.type);
      expect(key.verificationKey.asymmetricKeyDetails).toMatchObject(expected.detail);
      expect(key.kid).toBe(computeJwkThumbprint(exportPublicJwk(key)));
    }
    const token = signJwt({ exp: NOW_S + 60 }, key);
    expect(verifyJwt(token, key, { now: NOW }).payload.exp).toBe(NOW_S + 60);
    // Another key of the same alg (a fresh one; for RSA, a shared second pair) does not verify it.
    const other =
      expected.type === 'rsa'
        ? importKey({ alg, keyObject: otherRsa, kid: key.kid })
        : generateKey(alg, { kid: key.kid });
    expectTokenError(() => verifyJwt(token, other, { now: NOW }), 'token_signature_invalid');
  });

  it('uses the given kid', () => {
    expect(generateKey('HS256', { kid: 'my-key' }).kid).toBe('my-key');
  });

  it('gives distinct kids by default', () => {
    expect(generateKey('ES256').kid).not.toBe(generateKey('ES256').kid);
    expect(generateKey('HS256').kid).not.toBe(generateKey('HS256').kid);
  });

  it.each(['none', 'NONE', 'HS1', 'ES256K', '', 'toString', undefined])(
    'refuses alg %j (key_invalid)',
    (alg) => {
      expectKeyError(() => generateKey(alg as JwsAlgorithm));
    },
  );

  it.each(['', 'k'.repeat(257)])('refuses kid %j', (kid) => {
    expectKeyError(() => generateKey('HS256', { kid }));
  });
});
