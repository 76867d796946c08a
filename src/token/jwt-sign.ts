import { encodeBase64url } from './base64url.js';
import type { JwtClaims } from './claims.js';
import type { JwsKey } from './key.js';
import { buildProtectedHeader, signSegments } from './jws-sign.js';

export interface SignJwtOptions {
  /** Header `typ`, e.g. "at+jwt" for RFC 9068 access tokens or "JWT". Omitted when not given. */
  typ?: string;
  /** Further header members (not alg, kid, crit, b64 or key-carrying members). */
  header?: Record<string, unknown>;
}

// Encoded header segments per key and typ: the header of a key's tokens never changes, so it is
// serialised once. A WeakMap, so a dropped key takes its entries with it.
const headerSegments = new WeakMap<JwsKey, Map<string, string>>();

/** Signs a claim set as a JWT (RFC 7519) with the key's algorithm and kid. */
export function signJwt(claims: JwtClaims, key: JwsKey, options: SignJwtOptions = {}): string {
  checkClaimTypes(claims);
  const headerSegment =
    options.header === undefined
      ? cachedHeaderSegment(key, options.typ)
      : encodeHeader(key, options.typ, options.header);
  return signSegments(headerSegment, encodeBase64url(JSON.stringify(claims)), key);
}

function cachedHeaderSegment(key: JwsKey, typ: string | undefined): string {
  let byTyp = headerSegments.get(key);
  if (byTyp === undefined) headerSegments.set(key, (byTyp = new Map()));
  const cacheKey = typ ?? '';
  let segment = byTyp.get(cacheKey);
  if (segment === undefined) byTyp.set(cacheKey, (segment = encodeHeader(key, typ, {})));
  return segment;
}

function encodeHeader(key: JwsKey, typ: string | undefined, extra: Record<string, unknown>): string {
  const header = buildProtectedHeader(key, typ === undefined ? extra : { typ, ...extra });
  return encodeBase64url(JSON.stringify(header));
}

/** Refuses claim sets Tessera's own verifier would reject, at the signer, where the bug is. */
function checkClaimTypes(claims: JwtClaims): void {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError('signJwt: claims must be a plain object.');
  }
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
    throw new TypeError('signJwt: claims.exp (NumericDate seconds) is required.');
  }
  for (const name of ['nbf', 'iat'] as const) {
    const value = claims[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new TypeError(`signJwt: claims.${name} must be a NumericDate (seconds).`);
    }
  }
  for (const name of ['iss', 'sub', 'jti'] as const) {
    if (claims[name] !== undefined && typeof claims[name] !== 'string') {
      throw new TypeError(`signJwt: claims.${name} must be a string.`);
    }
  }
  const aud = claims.aud;
  if (
    aud !== undefined &&
    typeof aud !== 'string' &&
    !(Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string'))
  ) {
    throw new TypeError('signJwt: claims.aud must be a string or a non-empty array of strings.');
  }
}
