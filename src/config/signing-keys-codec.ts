import { InvalidValue, type Codec } from './codec.js';
import { parseJson, readSource } from './json-source.js';
import { isPem, pemPrivateKeysToJwks } from './pem-private-keys.js';

export type JwkSet = { keys: Record<string, unknown>[] };

/** The member that makes a JWK private (RFC 7518 §6.2.2.1, §6.3.2.1, §6.4.1; RFC 8037 §2). */
export const PRIVATE_MEMBER: Readonly<Record<string, string>> = { RSA: 'd', EC: 'd', OKP: 'd', oct: 'k' };

const RULE =
  'must be a JWK Set, inline JSON or @/path/to/file, with a non-empty "keys" array of private JWKs (kty and d, or k for oct), or one or more PEM private keys';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKey(key: unknown, index: number, kids: Set<unknown>): Record<string, unknown> {
  const kty = isRecord(key) ? key.kty : undefined;
  const member = typeof kty === 'string' ? PRIVATE_MEMBER[kty] : undefined;
  if (!isRecord(key) || member === undefined) {
    throw new InvalidValue(`keys[${index}] must have a kty of RSA, EC, OKP or oct`);
  }
  if (typeof key[member] !== 'string' || key[member] === '') {
    throw new InvalidValue(`keys[${index}] must be a private key: kty ${String(kty)} needs "${member}"`);
  }
  if (key.kid !== undefined) {
    if (kids.has(key.kid)) throw new InvalidValue(`keys[${index}] repeats the kid of an earlier key`);
    kids.add(key.kid);
  }
  return { ...key };
}

/** Inline or @file text: PEM private keys (converted to JWKs) or the JSON of a JWK Set. */
function readKeySet(input: string): unknown {
  const text = readSource(input, 'key file');
  return isPem(text) ? { keys: pemPrivateKeysToJwks(text) } : parseJson(text, RULE);
}

export const signingKeys: Codec<JwkSet> = {
  rule: RULE,
  parse(input) {
    const set = typeof input === 'string' ? readKeySet(input) : input;
    if (!isRecord(set) || !Array.isArray(set.keys) || set.keys.length === 0) throw new InvalidValue();
    const kids = new Set<unknown>();
    return { keys: set.keys.map((key, index) => checkKey(key, index, kids)) };
  },
  // Never printed: a default of "some keys" does not exist, and a configured set is secret.
  format: () => null,
};
