import type { KeyObject } from 'node:crypto';
import { MIN_RSA_MODULUS_BITS, type AlgorithmSpec } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import { assertNamedCurveEncoding } from './ec-named-curve.js';
import { assertSoundRsaPublicKey } from './rsa-public-key-checks.js';

/** node:crypto's names for the JOSE curves. */
const NAMED_CURVES: Record<string, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};

/**
 * Refuses key material that does not fit the algorithm it is imported for: the other half of "the
 * key decides the algorithm". Messages name the algorithm and the rule, never the material.
 */
export function assertKeyFitsAlgorithm(key: KeyObject, spec: AlgorithmSpec): void {
  const { alg } = spec;
  if (spec.family === 'hmac') {
    if (key.type !== 'secret') throw new KeyError(`${alg} needs a secret key, not an ${key.type} key.`);
    const size = key.symmetricKeySize ?? 0;
    if (size < spec.minSecretBytes!) {
      throw new KeyError(
        `${alg} secrets must be at least ${spec.minSecretBytes} bytes (the hash output); got ${size}.`,
      );
    }
    return;
  }
  if (key.type === 'secret') throw new KeyError(`${alg} needs an asymmetric key, not a secret.`);
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  switch (spec.family) {
    case 'rsa':
    case 'rsa-pss':
      // RSA-PSS-restricted keys (type 'rsa-pss') are refused: node cannot export them as JWKs, so they
      // could sign but never be published. A plain RSA key serves PS256/384/512 as well.
      if (type !== 'rsa')
        throw new KeyError(`${alg} needs an RSA key (type 'rsa'; PSS-restricted keys are not supported).`);
      if ((details.modulusLength ?? 0) < MIN_RSA_MODULUS_BITS) {
        throw new KeyError(`${alg} needs an RSA modulus of at least ${MIN_RSA_MODULUS_BITS} bits.`);
      }
      assertSoundRsaPublicKey(key, alg);
      return;
    case 'ecdsa':
      if (type !== 'ec' || details.namedCurve !== NAMED_CURVES[spec.curve!]) {
        throw new KeyError(`${alg} needs an EC key on curve ${spec.curve}.`);
      }
      assertNamedCurveEncoding(key, alg);
      return;
    case 'eddsa':
      if (type !== 'ed25519') throw new KeyError(`${alg} needs an Ed25519 key.`);
      return;
  }
}
