/**
 * A published JWK Set (a JWKS URL) may hold members a verifier cannot use: they are skipped, and every
 * skip is reported with the member and the reason; duplicate kids among the usable keys still refuse it.
 * @see issue #10 (2. Key import refuses weak and ambiguous keys)
 */
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importPublishedJwks, type SkippedJwk } from '../../../src/keys/import-published-jwks.js';
import { exportPublicJwk } from '../../../src/keys/jwk.js';
import { expectKeyError } from '../../helpers/token-kit.js';

const es256 = generateKey('ES256', { kid: 'es' });
const ed = generateKey('EdDSA', { kid: 'ed' });

function importReporting(keys: unknown[], alg?: 'ES256') {
  const skipped: SkippedJwk[] = [];
  const ring = importPublishedJwks(
    { keys },
    { ...(alg ? { alg } : {}), onSkipped: (skip) => skipped.push(skip) },
  );
  return { kids: ring.list().map((key) => key.kid), skipped };
}

describe('importPublishedJwks', () => {
  it('skips members it cannot use and reports which and why', () => {
    const rsaEnc = { ...exportPublicJwk(generateKey('RS256', { kid: 'enc' })), use: 'enc' };
    const weak = { ...exportPublicJwk(generateKey('RS256', { kid: 'weak' })), e: 'AQ' };
    const { kids, skipped } = importReporting([
      rsaEnc,
      { ...exportPublicJwk(generateKey('ES256', { kid: 'no-alg' })), alg: undefined },
      { kty: 'EC', alg: 'ES256K', kid: 'k', crv: 'secp256k1', x: 'AA', y: 'AA' },
      { kty: 'EC', alg: 'ES256', kid: 'broken', crv: 'P-256', x: 'AA', y: 'AA' },
      { kty: 'oct', alg: 'HS256', kid: 'secret', k: Buffer.alloc(32).toString('base64url') },
      { kty: 'X25519', kid: 'x' },
      weak,
      'not a key',
      exportPublicJwk(es256),
    ]);
    expect(kids).toEqual(['es']);
    expect(skipped).toEqual([
      { member: 'keys[0] (kid "enc")', reason: 'has a "use" other than "sig"' },
      { member: 'keys[1] (kid "no-alg")', reason: 'names no "alg", and none was given' },
      { member: 'keys[2] (kid "k")', reason: 'has an unsupported "alg"' },
      {
        member: 'keys[3] (kid "broken")',
        reason: 'was refused: the key material for ES256 could not be read',
      },
      { member: 'keys[4] (kid "secret")', reason: 'is a secret key, which a published set cannot hold' },
      { member: 'keys[5] (kid "x")', reason: 'has a "kty" other than RSA, EC, OKP or oct' },
      {
        member: 'keys[6] (kid "weak")',
        reason: expect.stringMatching(/^was refused: RS256 needs an RSA public exponent/),
      },
      { member: 'keys[7]', reason: 'is not a JSON object' },
    ]);
  });

  it('with an alg: members without alg take it, members of another alg are skipped and reported', () => {
    const bare = { ...exportPublicJwk(es256), alg: undefined };
    const { kids, skipped } = importReporting([bare, exportPublicJwk(ed)], 'ES256');
    expect(kids).toEqual(['es']);
    expect(skipped).toEqual([{ member: 'keys[1] (kid "ed")', reason: 'is for another "alg" than ES256' }]);
  });

  it('refuses duplicate kids among the usable keys, even when a skipped member sits between them', () => {
    const other = generateKey('ES256', { kid: 'es' });
    const error = expectKeyError(() =>
      importReporting([exportPublicJwk(es256), { kty: 'EC', use: 'enc', kid: 'es' }, exportPublicJwk(other)]),
    );
    expect(error.message).toBe('The JWK Set\'s keys[2] (kid "es") repeats the kid of keys[0] (kid "es").');
  });

  it('a skipped member may share a kid with a usable key: only one key answers for it', () => {
    const { kids } = importReporting([{ kty: 'EC', use: 'enc', kid: 'es' }, exportPublicJwk(es256)]);
    expect(kids).toEqual(['es']);
  });

  it.each<[string, unknown]>([
    ['no keys array', { keys: {} }],
    ['no usable key', { keys: [{ kty: 'EC', use: 'enc' }] }],
    ['an empty set', { keys: [] }],
  ])('refuses %s', (_name, document) => {
    expectKeyError(() => importPublishedJwks(document));
  });
});
