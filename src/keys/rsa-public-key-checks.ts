import { createPublicKey, type KeyObject } from 'node:crypto';
import { KeyError } from '../token/errors.js';
import { hasRocaFingerprint } from './roca-fingerprint.js';

/**
 * The public exponent's bounds (decision 0020): FIPS 186-5 §A.1.1 asks for an odd e with
 * 2^16 < e < 2^256, so 65537 is the smallest accepted. e = 1 would make a "signature" the padded
 * message itself; an even e is not invertible mod λ(n), so it is no RSA key at all.
 */
const MIN_PUBLIC_EXPONENT = 65_537n;
const PUBLIC_EXPONENT_LIMIT = 1n << 256n;

/**
 * Refuses an RSA key whose public half is weak whatever the modulus size: an exponent outside the
 * bounds above or not smaller than the modulus, or a modulus with the ROCA fingerprint (its primes
 * came from Infineon's RSALib and can be recovered). Messages name the algorithm and the rule,
 * never the key's numbers.
 */
export function assertSoundRsaPublicKey(key: KeyObject, alg: string): void {
  const { modulus, exponent } = rsaPublicNumbers(key);
  if (exponent >= modulus)
    throw new KeyError(`${alg} needs an RSA public exponent smaller than the modulus.`);
  if (exponent % 2n === 0n) throw new KeyError(`${alg} needs an odd RSA public exponent.`);
  if (exponent < MIN_PUBLIC_EXPONENT || exponent >= PUBLIC_EXPONENT_LIMIT) {
    throw new KeyError(`${alg} needs an RSA public exponent from 65537 up to 2^256 (FIPS 186-5).`);
  }
  if (hasRocaFingerprint(modulus)) {
    throw new KeyError(
      `${alg} refuses an RSA modulus with the ROCA fingerprint (CVE-2017-15361): its primes can be recovered.`,
    );
  }
}

/** n and e of an RSA key (public or private), read through its public JWK. */
export function rsaPublicNumbers(key: KeyObject): { modulus: bigint; exponent: bigint } {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  return { modulus: base64urlToBigInt(jwk.n!), exponent: base64urlToBigInt(jwk.e!) };
}

function base64urlToBigInt(value: string): bigint {
  const hex = Buffer.from(value, 'base64url').toString('hex');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}
