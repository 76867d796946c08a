import { exportPublicJwk, type Jwk } from '../../keys/jwk.js';
import type { JwksDocument } from '../../keys/jwks.js';
import type { Deps } from '../deps.js';

/** What an operator sees of a signing key: never the private part. */
export interface SigningKeyView {
  kid: string;
  alg: string;
  /** The lifecycle state in the store; `configured` for keys from TESSERA_SIGNING_KEYS. */
  state: 'next' | 'current' | 'retired' | 'configured';
  /** Null for configured keys, whose creation Tessera never saw. */
  created_at: string | null;
  /** True for the key new tokens are signed with. */
  signing: boolean;
  /** The public JWK as published in the JWKS; null for HMAC secrets, which are never published. */
  public_jwk: Jwk | null;
}

/**
 * The keys of the keyring, with their state and creation time from the store. The public JWK is
 * re-exported from the imported key through exportPublicJwk's allowlist of public members, so no
 * private member can reach the output whatever the store holds.
 */
export async function listSigningKeys(deps: Deps): Promise<SigningKeyView[]> {
  const fromConfig = deps.config.signingKeys !== null;
  const records = fromConfig ? [] : await deps.stores.signingKeys.list();
  const signingKid = deps.keys.signingKey.kid;
  return deps.keys.list().map((key) => {
    const record = records.find((candidate) => candidate.kid === key.kid);
    return {
      kid: key.kid,
      alg: key.alg,
      state: record?.state ?? 'configured',
      created_at: record?.createdAt.toISOString() ?? null,
      signing: key.kid === signingKid,
      public_jwk: key.spec.family === 'hmac' ? null : exportPublicJwk(key),
    };
  });
}

/** The JWK Set the server publishes at /.well-known/jwks.json. */
export function exportPublicJwks(deps: Deps): JwksDocument {
  return deps.keys.jwks();
}
