import {
  createHmac,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
  type VerifyKeyObjectInput,
} from 'node:crypto';
import type { AlgorithmSpec } from './algorithms.js';
import { isEcdsaSignatureInRange } from './ecdsa-range.js';

/** Signs the JWS signing input (ASCII) with the algorithm's primitive (RFC 7518 §3). */
export function createSignature(spec: AlgorithmSpec, key: KeyObject, signingInput: string): Buffer {
  switch (spec.family) {
    case 'hmac':
      return createHmac(spec.hash!, key).update(signingInput, 'latin1').digest();
    case 'rsa':
    case 'rsa-pss':
    case 'ecdsa':
      return sign(spec.hash, Buffer.from(signingInput, 'latin1'), cryptoOptions(spec, key));
    case 'eddsa':
      return sign(null, Buffer.from(signingInput, 'latin1'), key);
  }
}

// The options object node:crypto takes (key plus padding or DSA encoding), built once per key and
// algorithm: one RSA KeyObject may be imported for RS256 and for PS256, which pad differently.
const optionsByKey = new WeakMap<KeyObject, Map<AlgorithmSpec, VerifyKeyObjectInput>>();

function cryptoOptions(spec: AlgorithmSpec, key: KeyObject): VerifyKeyObjectInput {
  let byAlgorithm = optionsByKey.get(key);
  if (byAlgorithm === undefined) optionsByKey.set(key, (byAlgorithm = new Map()));
  let options = byAlgorithm.get(spec);
  if (options === undefined) {
    options = spec.family === 'ecdsa' ? { key, dsaEncoding: 'ieee-p1363' } : { key, ...spec.rsaPadding };
    byAlgorithm.set(spec, options);
  }
  return options;
}

/** Checks a decoded signature. Constant-time for HMAC; exact length and range for ECDSA. */
export function isSignatureValid(
  spec: AlgorithmSpec,
  key: KeyObject,
  signingInput: string,
  signature: Buffer,
): boolean {
  switch (spec.family) {
    case 'hmac': {
      const expected = createHmac(spec.hash!, key).update(signingInput, 'latin1').digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    }
    case 'rsa':
    case 'rsa-pss':
    case 'ecdsa':
      return (
        (spec.family !== 'ecdsa' || isEcdsaSignatureInRange(signature, spec.ecComponentBytes!)) &&
        verify(spec.hash, Buffer.from(signingInput, 'latin1'), cryptoOptions(spec, key), signature)
      );
    case 'eddsa':
      return signature.length === 64 && verify(null, Buffer.from(signingInput, 'latin1'), key, signature);
  }
}

/**
 * HMAC fast path: compares the presented signature segment, as text, with the canonical base64url of
 * the expected MAC. Only the canonical encoding can be equal, so this is as strict as decoding first,
 * and it skips the decode and every allocation but the digest's string.
 */
export function isHmacSegmentValid(
  spec: AlgorithmSpec,
  key: KeyObject,
  signingInput: string,
  signatureSegment: string,
): boolean {
  const expected = createHmac(spec.hash!, key).update(signingInput, 'latin1').digest('base64url');
  return constantTimeEqual(expected, signatureSegment);
}

/**
 * Equal-length strings are compared over every UTF-16 unit with no early exit, so the time depends
 * only on the (public) length, never on how many leading characters match. Code units are compared
 * whole: a non-ASCII character can never alias an ASCII one.
 */
export function constantTimeEqual(expected: string, presented: string): boolean {
  if (expected.length !== presented.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ presented.charCodeAt(i);
  return difference === 0;
}
