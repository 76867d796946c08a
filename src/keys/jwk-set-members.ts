import { isJwsAlgorithm, type JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import type { JwsKey } from '../token/key.js';
import { importKey } from './import-key.js';
import type { Jwk } from './jwk.js';

/** The key types Tessera can verify with (RFC 7518 §6, RFC 8037 §2). */
const SUPPORTED_KTY = new Set(['RSA', 'EC', 'OKP', 'oct']);
const SHOWN_KID_LENGTH = 64;

/** A member of a JWK Set and where it stands, for messages: `keys[2] (kid "a")`. */
export function describeMember(index: number, member: unknown): string {
  const kid = isRecord(member) && typeof member.kid === 'string' ? member.kid : undefined;
  if (kid === undefined) return `keys[${index}]`;
  const shown = kid.length > SHOWN_KID_LENGTH ? `${kid.slice(0, SHOWN_KID_LENGTH)}…` : kid;
  return `keys[${index}] (kid ${JSON.stringify(shown)})`;
}

/**
 * Imports one member of a JWK Set for signature verification, or throws a KeyError whose message is
 * the reason alone (the caller names the member). `fallbackAlg` is taken by a member without `alg`.
 */
export function importMember(member: unknown, fallbackAlg: JwsAlgorithm | undefined): JwsKey {
  if (!isRecord(member)) throw new KeyError('is not a JSON object');
  if (typeof member.kty !== 'string') throw new KeyError('has no "kty"');
  if (!SUPPORTED_KTY.has(member.kty)) throw new KeyError('has a "kty" other than RSA, EC, OKP or oct');
  if (member.use !== undefined && member.use !== 'sig') throw new KeyError('has a "use" other than "sig"');
  const alg = member.alg ?? fallbackAlg;
  if (alg === undefined) throw new KeyError('names no "alg", and none was given');
  if (!isJwsAlgorithm(alg)) throw new KeyError('has an unsupported "alg"');
  try {
    return importKey({ alg, jwk: member as Jwk });
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    const reason = error.message.replace(/^importKey: /, '').replace(/\.$/, '');
    throw new KeyError(`was refused: ${reason}`, { cause: error });
  }
}

/** The members of a JWK Set document, which must be an object with a "keys" array. */
export function jwkSetMembers(document: unknown): unknown[] {
  if (!isRecord(document) || !Array.isArray(document.keys)) {
    throw new KeyError('The JWK Set has no "keys" array.');
  }
  return document.keys as unknown[];
}

/** Two keys of one set may not share a kid: a token's kid must name exactly one key. */
export function assertDistinctKids(keys: readonly { key: JwsKey; label: string }[]): void {
  const seen = new Map<string, string>();
  for (const { key, label } of keys) {
    const earlier = seen.get(key.kid);
    if (earlier !== undefined) throw new KeyError(`The JWK Set's ${label} repeats the kid of ${earlier}.`);
    seen.set(key.kid, label);
  }
}

/**
 * A configured set holds either HMAC secrets or public/private keys, never both: a secret beside
 * published keys is one mistake away from being published or confused with them (decision 0021).
 */
export function assertOneKeyKind(keys: readonly { key: JwsKey; label: string }[]): void {
  const secret = keys.find(({ key }) => key.spec.family === 'hmac');
  const asymmetric = keys.find(({ key }) => key.spec.family !== 'hmac');
  if (secret !== undefined && asymmetric !== undefined) {
    throw new KeyError(
      `The JWK Set mixes a secret key (${secret.label}) with asymmetric keys (${asymmetric.label}); use one kind.`,
    );
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
