import { generateKeyPairSync, randomBytes, createSecretKey, type KeyObject } from 'node:crypto';
import { ALGORITHMS, isJwsAlgorithm, type JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import type { JwsKey } from '../token/key.js';
import { importKey } from './import-key.js';

/** Generates a fresh signing key for `alg`: HMAC secrets of the hash length, RSA 2048, the JOSE curves, Ed25519. */
export function generateKey(alg: JwsAlgorithm, options: { kid?: string } = {}): JwsKey {
  if (!isJwsAlgorithm(alg)) throw new KeyError('generateKey: "alg" must be a supported JWS algorithm.');
  const spec = ALGORITHMS[alg];
  let keyObject: KeyObject;
  switch (spec.family) {
    case 'hmac':
      keyObject = createSecretKey(randomBytes(spec.minSecretBytes!));
      break;
    case 'rsa':
    case 'rsa-pss':
      keyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      break;
    case 'ecdsa':
      keyObject = generateKeyPairSync('ec', { namedCurve: spec.curve! }).privateKey;
      break;
    case 'eddsa':
      keyObject = generateKeyPairSync('ed25519').privateKey;
      break;
  }
  return importKey({ alg, keyObject, ...(options.kid === undefined ? {} : { kid: options.kid }) });
}
