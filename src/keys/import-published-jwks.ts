import type { JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import type { JwsKey } from '../token/key.js';
import {
  assertDistinctKids,
  describeMember,
  importMember,
  isRecord,
  jwkSetMembers,
} from './jwk-set-members.js';
import { KeyRing } from './keyring.js';

/** A member of a published JWK Set that was not used, and why (no key material in either). */
export interface SkippedJwk {
  /** `keys[2]`, or `keys[2] (kid "a")`. */
  member: string;
  reason: string;
}

export interface ImportPublishedJwksOptions {
  /** Members without `alg` take it; members of another algorithm are skipped. */
  alg?: JwsAlgorithm;
  /** Told of every member skipped, so the verifier can log which and why. */
  onSkipped?: (skipped: SkippedJwk) => void;
}

/**
 * A JWK Set published by a server (a JWKS URL) as a keyring. A server may publish keys for other
 * uses and readers (encryption keys, other key types and algorithms), and RFC 7517 §5 lets a reader
 * ignore what it cannot use: such members are skipped and reported through `onSkipped`, never
 * silently. A secret (`kty` oct) is never taken from a published set: whoever can read the set
 * could forge with it. Two usable keys sharing a kid still refuse the whole set (decision 0021).
 */
export function importPublishedJwks(document: unknown, options: ImportPublishedJwksOptions = {}): KeyRing {
  const usable: { key: JwsKey; label: string }[] = [];
  jwkSetMembers(document).forEach((member, index) => {
    const label = describeMember(index, member);
    const skip = (reason: string) => options.onSkipped?.({ member: label, reason });
    if (isRecord(member) && member.kty === 'oct')
      return skip('is a secret key, which a published set cannot hold');
    if (
      options.alg !== undefined &&
      isRecord(member) &&
      member.alg !== undefined &&
      member.alg !== options.alg
    )
      return skip(`is for another "alg" than ${options.alg}`);
    try {
      usable.push({ key: importMember(member, options.alg), label });
    } catch (error) {
      if (!(error instanceof KeyError)) throw error;
      skip(error.message);
    }
  });
  assertDistinctKids(usable);
  if (usable.length === 0) throw new KeyError('The JWK Set has no usable signature key.');
  return new KeyRing(usable.map(({ key }) => key));
}
