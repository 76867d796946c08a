import type { KeyObject } from 'node:crypto';
import type { AlgorithmSpec, JwsAlgorithm } from './algorithms.js';

/**
 * A key imported for exactly one algorithm (RFC 8725 §3.1: the key, not the token, decides `alg`).
 * Built by src/keys/ (importKey, generateKey); the token core only reads it.
 */
export interface JwsKey {
  readonly alg: JwsAlgorithm;
  readonly kid: string;
  readonly spec: AlgorithmSpec;
  /** The HMAC secret or the public key: what verification uses. */
  readonly verificationKey: KeyObject;
  /** The HMAC secret or the private key; undefined for a verification-only key. */
  readonly signingKey: KeyObject | undefined;
}

/** Where the verifier finds keys: a keyring, a JWKS cache, or a single key. */
export interface KeyLookup {
  /**
   * The key a token names. With a `kid`, the key of that id whatever its algorithm (the verifier then
   * refuses an `alg` that differs from the key's). Without one, the only key for `alg`, if exactly one.
   */
  findKey(kid: string | undefined, alg: JwsAlgorithm): JwsKey | undefined;
  /** Changes whenever the set of keys changes, so caches of verified tokens can drop stale entries. */
  readonly version: number;
}

export function isJwsKey(value: unknown): value is JwsKey {
  return typeof value === 'object' && value !== null && 'verificationKey' in value && 'spec' in value;
}

/** Lets one key stand where a lookup is expected. A `kid` that names another key finds nothing. */
export function singleKeyLookup(key: JwsKey): KeyLookup {
  return {
    version: 0,
    findKey: (kid, alg) =>
      kid === undefined ? (alg === key.alg ? key : undefined) : kid === key.kid ? key : undefined,
  };
}

/** Accepts either a lookup or one key, so simple callers can pass a key directly. */
export function asKeyLookup(keys: KeyLookup | JwsKey): KeyLookup {
  return isJwsKey(keys) ? singleKeyLookup(keys) : keys;
}
