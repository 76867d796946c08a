import { isJwsAlgorithm, type JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import type { JwsKey, KeyLookup } from '../token/key.js';
import { importKey } from './import-key.js';
import type { Jwk } from './jwk.js';
import { KeyRing } from './keyring.js';

export interface ImportVerificationKeysOptions {
  /** The algorithm of keys that name none (a PEM never does); keys of other algorithms are then skipped. */
  alg?: JwsAlgorithm;
}

/**
 * A JWK Set (RFC 7517 §5) as a keyring for verification. Keys that cannot be used for JWS
 * signatures (`use` other than "sig", no or an unsupported `alg`, material refused at import) are
 * skipped, as §5 asks; a set left with no usable key is refused. Each key stays bound to its one
 * algorithm (RFC 8725 §3.1).
 */
export function importJwks(document: unknown, options: ImportVerificationKeysOptions = {}): KeyRing {
  if (!isRecord(document) || !Array.isArray(document.keys)) {
    throw new KeyError('The JWK Set has no "keys" array.');
  }
  const keys: JwsKey[] = [];
  for (const jwk of document.keys as unknown[]) {
    const key = importUsableKey(jwk, options.alg);
    if (key === undefined) continue;
    if (keys.some((other) => other.kid === key.kid))
      throw new KeyError('Two keys of the JWK Set share a kid.');
    keys.push(key);
  }
  if (keys.length === 0) throw new KeyError('The JWK Set has no usable signature key.');
  return new KeyRing(keys);
}

/**
 * Verification keys from the text of a key file: a JWK Set, a single JWK, or a PEM public key,
 * private key or certificate. A PEM, or a JWK without `alg`, needs `options.alg`. A PEM has no key id,
 * so it answers for any `kid` (still only for its one algorithm): the operator named this very key.
 */
export function importVerificationKeys(text: string, options: ImportVerificationKeysOptions = {}): KeyLookup {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (cause) {
      throw new KeyError('The key file is not valid JSON.', { cause });
    }
    if (isRecord(parsed) && 'keys' in parsed) return importJwks(parsed, options);
    if (!isRecord(parsed)) throw new KeyError('The key file is not a JWK.');
    const alg = parsed.alg ?? options.alg;
    if (!isJwsAlgorithm(alg)) throw new KeyError('The JWK names no supported "alg", and none was given.');
    return new KeyRing([importKey({ alg, jwk: parsed as Jwk })]);
  }
  if (trimmed.startsWith('-----BEGIN')) {
    if (options.alg === undefined) throw new KeyError('A PEM key needs its algorithm to be given.');
    return anyKidLookup(importKey({ alg: options.alg, pem: trimmed }));
  }
  throw new KeyError('The key file is neither a PEM key, a JWK nor a JWK Set.');
}

function importUsableKey(jwk: unknown, fallbackAlg: JwsAlgorithm | undefined): JwsKey | undefined {
  if (!isRecord(jwk) || typeof jwk.kty !== 'string') return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  const alg = jwk.alg ?? fallbackAlg;
  if (!isJwsAlgorithm(alg) || (fallbackAlg !== undefined && alg !== fallbackAlg)) return undefined;
  try {
    return importKey({ alg, jwk: jwk as Jwk });
  } catch (error) {
    if (error instanceof KeyError) return undefined;
    throw error;
  }
}

function anyKidLookup(key: JwsKey): KeyLookup {
  return { version: 0, findKey: (_kid, alg) => (alg === key.alg ? key : undefined) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
