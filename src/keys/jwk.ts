import type { JwsKey } from '../token/key.js';

/** A JSON Web Key (RFC 7517) as Tessera reads and writes it. */
export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  [member: string]: unknown;
}

const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
};

/**
 * The public JWK of an asymmetric key, with kid, alg and use. Built from an allowlist of public
 * members, so no private member (d, p, q, dp, dq, qi, k) can ever slip into a JWKS.
 */
export function exportPublicJwk(key: JwsKey): Jwk {
  if (key.spec.family === 'hmac')
    throw new TypeError(`Key ${key.kid} is an HMAC secret: it has no public form.`);
  const full = key.verificationKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const members = PUBLIC_MEMBERS[full.kty as string] ?? [];
  const jwk: Jwk = { kty: full.kty as string };
  for (const name of members) jwk[name] = full[name];
  return { ...jwk, kid: key.kid, alg: key.alg, use: 'sig' };
}

/** The private JWK (or `oct` secret) of a signing key: for persistence and key files, never for publishing. */
export function exportPrivateJwk(key: JwsKey): Jwk {
  if (key.signingKey === undefined) throw new TypeError(`Key ${key.kid} has no private part.`);
  const full = key.signingKey.export({ format: 'jwk' }) as Jwk;
  return { ...full, kid: key.kid, alg: key.alg, use: 'sig' };
}
