import { isJwsAlgorithm, type JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import type { JwsKey, KeyLookup } from '../token/key.js';
import { importKey } from './import-key.js';
import type { Jwk } from './jwk.js';
import {
  assertDistinctKids,
  assertOneKeyKind,
  describeMember,
  importMember,
  isRecord,
  jwkSetMembers,
} from './jwk-set-members.js';
import { KeyRing } from './keyring.js';

export interface ImportVerificationKeysOptions {
  /** The algorithm of keys that name none (a PEM never does); keys of other algorithms are then left out. */
  alg?: JwsAlgorithm;
}

type LabelledKey = { key: JwsKey; label: string };

/**
 * A configured JWK Set (RFC 7517 §5) as a keyring for verification: a key file, `createVerifier({ keys })`.
 * The operator wrote every member, so every member must import: a malformed or unusable one is
 * refused and named (index and kid), as are two keys sharing a kid and a set mixing secrets with
 * asymmetric keys (decision 0021). With `options.alg`, members without `alg` take it, and members
 * of another algorithm are checked but left out. Each key stays bound to its one algorithm
 * (RFC 8725 §3.1). A set fetched from a server goes through importPublishedJwks instead.
 */
export function importJwks(document: unknown, options: ImportVerificationKeysOptions = {}): KeyRing {
  const keys = importConfiguredMembers(jwkSetMembers(document), options.alg);
  const used = keys.filter(({ key }) => options.alg === undefined || key.alg === options.alg);
  if (used.length === 0) {
    throw new KeyError(`The JWK Set has no ${options.alg === undefined ? '' : `${options.alg} `}key.`);
  }
  return new KeyRing(used.map(({ key }) => key));
}

/**
 * TESSERA_SIGNING_KEYS: a configured JWK Set of the server's own keys. Members without `alg` are taken
 * for the configured algorithm; the first private key of that algorithm signs; the others verify.
 */
export function importSigningJwks(document: unknown, preferredAlg: JwsAlgorithm): KeyRing {
  const members = jwkSetMembers(document).map((member) =>
    isRecord(member) && member.alg === undefined ? { ...member, alg: preferredAlg } : member,
  );
  const keys = importConfiguredMembers(members, undefined).map(({ key }) => key);
  const signing = keys.find((key) => key.alg === preferredAlg && key.signingKey !== undefined);
  if (signing === undefined)
    throw new KeyError(`The JWK Set has no private key for the configured algorithm ${preferredAlg}.`);
  return new KeyRing(keys, { signingKid: signing.kid });
}

function importConfiguredMembers(members: unknown[], fallbackAlg: JwsAlgorithm | undefined): LabelledKey[] {
  const keys = members.map((member, index) => {
    const label = describeMember(index, member);
    try {
      return { key: importMember(member, fallbackAlg), label };
    } catch (error) {
      if (!(error instanceof KeyError)) throw error;
      throw new KeyError(`The JWK Set's ${label} ${error.message}.`, { cause: error });
    }
  });
  assertDistinctKids(keys);
  assertOneKeyKind(keys);
  return keys;
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

function anyKidLookup(key: JwsKey): KeyLookup {
  return { version: 0, findKey: (_kid, alg) => (alg === key.alg ? key : undefined) };
}
