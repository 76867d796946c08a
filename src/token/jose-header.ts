import { isJwsAlgorithm, type JwsAlgorithm } from './algorithms.js';
import { TokenError } from './errors.js';

/** A protected header that passed checkProtectedHeader. Other members are kept but never acted on. */
export interface JoseHeader {
  readonly alg: JwsAlgorithm;
  readonly kid?: string;
  readonly typ?: string;
  readonly [member: string]: unknown;
}

/** A `kid` longer than this is refused before any lookup (key ids are thumbprints or short names). */
export const MAX_KID_LENGTH = 256;

/**
 * Applies the header rules of RFC 8725 before any key is touched:
 * - `alg` must be a supported algorithm and in the verifier's allowlist; `none` (any casing) never is;
 * - `crit` is refused: Tessera implements no extension, and RFC 7515 §4.1.11 requires rejecting
 *   a token whose critical extensions are not understood;
 * - `b64: false` (RFC 7797 unencoded payload) is refused;
 * - `kid` and `typ`, when present, must be strings; `kid` is length-capped.
 * `jwk`, `jku`, `x5u`, `x5c` and `x5t` are ignored: keys only ever come from the local lookup.
 */
export function checkProtectedHeader(
  header: Record<string, unknown>,
  allowed: ReadonlySet<JwsAlgorithm>,
): JoseHeader {
  const { alg, kid, typ } = header;
  if (typeof alg !== 'string') {
    throw new TokenError('token_malformed', 'The header has no "alg" string.', { claim: 'alg' });
  }
  if (!isJwsAlgorithm(alg) || !allowed.has(alg)) {
    throw new TokenError('token_alg_not_allowed', 'The token algorithm is not allowed.', { claim: 'alg' });
  }
  if (header.crit !== undefined) {
    throw new TokenError(
      'token_crit_unsupported',
      'The token names critical header extensions Tessera does not support.',
      {
        claim: 'crit',
      },
    );
  }
  if (header.b64 !== undefined && header.b64 !== true) {
    throw new TokenError('token_crit_unsupported', 'Unencoded payloads ("b64": false) are not supported.', {
      claim: 'b64',
    });
  }
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH)) {
    throw new TokenError(
      'token_malformed',
      'The header "kid" must be a non-empty string of at most 256 characters.',
      {
        claim: 'kid',
      },
    );
  }
  if (typ !== undefined && typeof typ !== 'string') {
    throw new TokenError('token_malformed', 'The header "typ" must be a string.', { claim: 'typ' });
  }
  return header as JoseHeader;
}

/** Media types compare case-insensitively and may omit "application/" (RFC 7515 §4.1.9). */
export function normalizeMediaType(value: string): string {
  const lower = value.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
