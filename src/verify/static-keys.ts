import { KeyObject } from 'node:crypto';
import { importJwks } from '../keys/import-jwks.js';
import { importKey } from '../keys/import-key.js';
import type { Jwk } from '../keys/jwk.js';
import { assertDistinctKids, assertOneKeyKind, describeMember } from '../keys/jwk-set-members.js';
import type { JwksDocument } from '../keys/jwks.js';
import { KeyRing } from '../keys/keyring.js';
import { isJwsAlgorithm, type JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import { isJwsKey, type JwsKey, type KeyLookup } from '../token/key.js';

/** Keys a verifier can be given instead of a JWKS URL. */
export type StaticKeys = JwksDocument | Jwk | KeyObject | JwsKey | readonly (Jwk | KeyObject | JwsKey)[];

/**
 * Imports static keys once, as a configured set: every key must import, kids are distinct, and
 * secrets are never mixed with asymmetric keys (decision 0021). A JWK names its `alg` (or there is
 * exactly one allowed algorithm); a KeyObject has no algorithm (nor kid) of its own, so it takes the
 * one allowed algorithm and, given alone, answers for any kid; a verifier allowing several
 * algorithms must be given JWKs instead: a key is never guessed into two algorithms (RFC 8725 §3.1).
 */
export function importStaticKeys(keys: StaticKeys, algorithms: readonly JwsAlgorithm[]): KeyLookup {
  if (isJwksDocument(keys)) return importJwks(keys, algorithms.length === 1 ? { alg: algorithms[0] } : {});
  const list = Array.isArray(keys)
    ? (keys as readonly (Jwk | KeyObject | JwsKey)[])
    : [keys as Jwk | KeyObject | JwsKey];
  if (list.length === 0) throw new TypeError('keys must hold at least one key.');
  if (list.length === 1 && isKeyObject(list[0])) {
    // A bare KeyObject has no kid: like a PEM file it answers for any kid, but only for its one alg.
    const only = importOne(list[0], algorithms);
    return { version: 0, findKey: (_kid, alg) => (alg === only.alg ? only : undefined) };
  }
  const imported = list.map((key, index) => {
    const label = describeMember(index, key);
    try {
      return { key: importOne(key, algorithms), label };
    } catch (error) {
      if (!(error instanceof KeyError)) throw error;
      const reason = error.message.replace(/^importKey: /, '');
      throw new KeyError(`The key set's ${label} was refused: ${reason}`, { cause: error });
    }
  });
  // The same rules as a configured JWK Set: one key per kid, and never secrets beside public keys.
  assertDistinctKids(imported);
  assertOneKeyKind(imported);
  return new KeyRing(imported.map(({ key }) => key));
}

function importOne(key: Jwk | KeyObject | JwsKey, algorithms: readonly JwsAlgorithm[]): JwsKey {
  if (isJwsKey(key)) return key;
  const only = algorithms.length === 1 ? algorithms[0] : undefined;
  if (isKeyObject(key)) {
    if (only === undefined)
      throw new TypeError('A KeyObject needs exactly one allowed algorithm; pass a JWK with "alg".');
    return importKey({ alg: only, keyObject: key });
  }
  const alg = (key as Jwk).alg ?? only;
  if (!isJwsAlgorithm(alg)) throw new TypeError('A static JWK must name a supported "alg".');
  return importKey({ alg, jwk: key as Jwk });
}

function isJwksDocument(value: unknown): value is JwksDocument {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}

function isKeyObject(value: unknown): value is KeyObject {
  return value instanceof KeyObject;
}
