import type { JwsKey } from '../token/key.js';
import { exportPublicJwk, type Jwk } from './jwk.js';

/**
 * How long verifiers may cache the JWKS (the Cache-Control max-age of /.well-known/jwks.json).
 * Rotation publishes a key at least this long before it signs.
 */
export const JWKS_MAX_AGE_SECONDS = 300;

export interface JwksDocument {
  keys: Jwk[];
}

/** A JWK Set (RFC 7517 §5) of the public keys; HMAC secrets are never published and are skipped. */
export function buildJwks(keys: Iterable<JwsKey>): JwksDocument {
  const published: Jwk[] = [];
  for (const key of keys) {
    if (key.spec.family !== 'hmac') published.push(exportPublicJwk(key));
  }
  return { keys: published };
}
