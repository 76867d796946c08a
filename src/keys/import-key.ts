import { createPrivateKey, createPublicKey, createSecretKey, KeyObject, X509Certificate } from 'node:crypto';
import { ALGORITHMS, isJwsAlgorithm, type JwsAlgorithm } from '../token/algorithms.js';
import { isStrictBase64url } from '../token/base64url.js';
import { KeyError } from '../token/errors.js';
import type { JwsKey } from '../token/key.js';
import type { Jwk } from './jwk.js';
import { assertKeyFitsAlgorithm } from './key-checks.js';
import { computeJwkThumbprint } from './thumbprint.js';

export type KeyMaterial =
  { jwk: Jwk } | { pem: string } | { secret: string | Uint8Array } | { keyObject: KeyObject };

export type ImportKeyInput = KeyMaterial & {
  /** The one algorithm this key will ever sign or verify with. */
  alg: JwsAlgorithm;
  /** Default: the JWK's own kid, else the RFC 7638 thumbprint. */
  kid?: string;
};

/**
 * Imports key material once into node:crypto KeyObjects, bound to exactly one algorithm
 * (RFC 8725 §3.1). A private key gives a signing key (its public half verifies); a public key or
 * certificate gives a verification-only key; a secret gives an HMAC key.
 */
export function importKey(input: ImportKeyInput): JwsKey {
  if (!isJwsAlgorithm(input.alg))
    throw new KeyError('importKey: "alg" must be a supported JWS algorithm (not "none").');
  const spec = ALGORITHMS[input.alg];
  const { key, jwkKid } = toKeyObject(input, spec.family === 'hmac');
  // Whichever door a secret came through (secret, oct JWK, secret KeyObject), it must not be a public key.
  if (key.type === 'secret') assertNotPublicKeyMaterial(key.export());
  assertKeyFitsAlgorithm(key, spec);
  const signingKey = key.type === 'public' ? undefined : key;
  const verificationKey = key.type === 'private' ? createPublicKey(key) : key;
  const kid = input.kid ?? jwkKid ?? computeJwkThumbprint(verificationKey.export({ format: 'jwk' }) as Jwk);
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 256) {
    throw new KeyError('importKey: "kid" must be a non-empty string of at most 256 characters.');
  }
  return Object.freeze({ alg: input.alg, kid, spec, verificationKey, signingKey });
}

function toKeyObject(input: ImportKeyInput, wantsSecret: boolean): { key: KeyObject; jwkKid?: string } {
  try {
    if ('keyObject' in input) {
      if (!(input.keyObject instanceof KeyObject))
        throw new KeyError('importKey: keyObject must be a KeyObject.');
      return { key: input.keyObject };
    }
    if ('secret' in input) return { key: importSecret(input.secret, wantsSecret) };
    if ('pem' in input) {
      if (typeof input.pem !== 'string') throw new KeyError('importKey: pem must be a string.');
      return {
        key: input.pem.includes('PRIVATE KEY') ? createPrivateKey(input.pem) : createPublicKey(input.pem),
      };
    }
    if ('jwk' in input) return importJwk(input.jwk, input.alg);
  } catch (cause) {
    if (cause instanceof KeyError) throw cause;
    throw new KeyError(`importKey: the key material for ${input.alg} could not be read.`, { cause });
  }
  throw new KeyError('importKey: pass one of jwk, pem, secret or keyObject.');
}

function importJwk(jwk: Jwk, alg: JwsAlgorithm): { key: KeyObject; jwkKid?: string } {
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') {
    throw new KeyError('importKey: the JWK has no "kty".');
  }
  if (jwk.alg !== undefined && jwk.alg !== alg)
    throw new KeyError(`importKey: the JWK is for ${String(jwk.alg)}, not ${alg}.`);
  if (jwk.use !== undefined && jwk.use !== 'sig')
    throw new KeyError('importKey: the JWK "use" is not "sig".');
  if (
    jwk.key_ops !== undefined &&
    !(Array.isArray(jwk.key_ops) && jwk.key_ops.some((op) => op === 'sign' || op === 'verify'))
  ) {
    throw new KeyError('importKey: the JWK "key_ops" allow neither sign nor verify.');
  }
  const jwkKid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string' || !isStrictBase64url(jwk.k)) {
      throw new KeyError('importKey: the oct JWK needs "k" in strict base64url.');
    }
    return { key: createSecretKey(Buffer.from(jwk.k, 'base64url')), jwkKid };
  }
  const isPrivate = jwk.d !== undefined;
  const key = isPrivate
    ? createPrivateKey({ key: jwk, format: 'jwk' })
    : createPublicKey({ key: jwk, format: 'jwk' });
  return { key, jwkKid };
}

/**
 * An HMAC secret is raw bytes, never a public key: text that is a PEM or a JWK, or bytes that parse
 * as a DER public key, are refused, so an algorithm-confusion attacker's "secret" (the server's own
 * public key) can never be configured by mistake (RFC 8725 §2.1).
 */
function importSecret(secret: string | Uint8Array, wantsSecret: boolean): KeyObject {
  if (!wantsSecret) throw new KeyError('importKey: a raw secret can only be imported for HS256/384/512.');
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  return createSecretKey(bytes);
}

function assertNotPublicKeyMaterial(bytes: Buffer): void {
  // trimStart also drops a byte-order mark (U+FEFF); a PEM may follow a label such as "Public Key:".
  const text = bytes.toString('utf8').trimStart();
  if (text.includes('-----BEGIN') || (text.startsWith('{') && text.includes('"kty"'))) {
    throw new KeyError('importKey: an HMAC secret must not be a PEM or JWK key.');
  }
  if (looksLikeDerPublicKey(bytes))
    throw new KeyError('importKey: an HMAC secret must not be a DER public key.');
}

function looksLikeDerPublicKey(bytes: Buffer): boolean {
  if (bytes[0] !== 0x30) return false; // every DER key starts with a SEQUENCE
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      createPublicKey({ key: bytes, format: 'der', type });
      return true;
    } catch {
      // not that encoding
    }
  }
  try {
    new X509Certificate(bytes); // a certificate carries a public key just the same
    return true;
  } catch {
    return false;
  }
}
