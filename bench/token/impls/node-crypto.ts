import { createHmac, sign, timingSafeEqual, verify } from 'node:crypto';
import type { BenchCase } from '../cases.js';
import { assertSignedCorrectly } from '../oracle.js';
import type { Fixture } from '../fixtures.js';

/**
 * The limit: only the node:crypto primitive, on the fixture's precomputed signing input and
 * signature, with the same KeyObjects and options Tessera uses. No encoding, no JSON, no claims: no
 * JWT library can be faster than this for the asymmetric algorithms, whose cost is all in here.
 */
export function nodeCryptoCases(fixture: Fixture): BenchCase[] {
  const signOnce = signer(fixture);
  const verifyOnce = verifier(fixture);
  const { exp } = fixture.claims;
  const expected = fixture.signature;
  const forged = Buffer.from(expected);
  forged[forged.length >> 1]! ^= 0x01;
  return [
    {
      alg: fixture.alg,
      op: 'sign',
      impl: 'node:crypto',
      operation: { mode: 'sync', run: signOnce },
      check: () =>
        assertSignedCorrectly(
          fixture,
          `${fixture.signingInput}.${signOnce().toString('base64url')}`,
          'node:crypto sign',
        ),
    },
    {
      alg: fixture.alg,
      op: 'verify',
      impl: 'node:crypto',
      operation: {
        mode: 'sync',
        // Returning exp like the JWT verifiers keeps the loop's bookkeeping identical; the branch is free.
        run: () => {
          if (!verifyOnce(expected)) throw new Error('node:crypto: signature refused.');
          return exp;
        },
      },
      check: async () => {
        const who = `node:crypto ${fixture.alg} verify`;
        if (!verifyOnce(expected)) throw new Error(`${who}: refused the benchmark signature.`);
        if (verifyOnce(forged)) throw new Error(`${who}: accepted a tampered signature.`);
      },
    },
  ];
}

// Options objects are built once here: the baseline should not pay for anything but the primitive.
function signer(fixture: Fixture): () => Buffer {
  const { spec } = fixture.key;
  const { privateKey: key, signingInput, signingInputBytes: data } = fixture;
  switch (spec.family) {
    case 'hmac': {
      const hash = spec.hash!;
      return () => createHmac(hash, key).update(signingInput).digest();
    }
    case 'rsa':
    case 'rsa-pss': {
      const options = { key, ...spec.rsaPadding };
      return () => sign(spec.hash, data, options);
    }
    case 'ecdsa': {
      const options = { key, dsaEncoding: 'ieee-p1363' as const };
      return () => sign(spec.hash, data, options);
    }
    case 'eddsa':
      return () => sign(null, data, key);
  }
}

function verifier(fixture: Fixture): (signature: Buffer) => boolean {
  const { spec } = fixture.key;
  const { publicKey: key, signingInput, signingInputBytes: data } = fixture;
  switch (spec.family) {
    case 'hmac': {
      const hash = spec.hash!;
      return (signature) => {
        const digest = createHmac(hash, key).update(signingInput).digest();
        return digest.length === signature.length && timingSafeEqual(digest, signature);
      };
    }
    case 'rsa':
    case 'rsa-pss': {
      const options = { key, ...spec.rsaPadding };
      return (signature) => verify(spec.hash, data, options, signature);
    }
    case 'ecdsa': {
      const options = { key, dsaEncoding: 'ieee-p1363' as const };
      return (signature) => verify(spec.hash, data, options, signature);
    }
    case 'eddsa':
      return (signature) => verify(null, data, key, signature);
  }
}
