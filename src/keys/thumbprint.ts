import { createHash } from 'node:crypto';

/** The members RFC 7638 §3.2 hashes, per key type, in lexicographic order. */
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
};

/** RFC 7638 JWK thumbprint (SHA-256, base64url). Private members never enter the hash. */
export function computeJwkThumbprint(jwk: Record<string, unknown>): string {
  const kty = jwk.kty;
  const members =
    typeof kty === 'string' && Object.prototype.hasOwnProperty.call(REQUIRED_MEMBERS, kty)
      ? REQUIRED_MEMBERS[kty]
      : undefined;
  if (members === undefined) throw new TypeError('computeJwkThumbprint: unsupported or missing "kty".');
  const canonical: Record<string, unknown> = {};
  for (const name of members) {
    if (typeof jwk[name] !== 'string')
      throw new TypeError(`computeJwkThumbprint: member "${name}" is missing.`);
    canonical[name] = jwk[name];
  }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
