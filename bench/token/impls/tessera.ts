import { createJwtVerifier, signJwt } from '../../../src/token/index.js';
import type { BenchCase } from '../cases.js';
import { syncSignCase, syncVerifyCase } from '../case-builders.js';
import { AUDIENCE, ISSUER, TOKEN_TYPE, type Fixture } from '../fixtures.js';

/**
 * Tessera, the subject. Verification checks: size bound, strict compact shape and base64url, header
 * (alg in the allowlist and equal to the key's alg, kid = the key's kid, crit/b64 refused), the
 * signature (plus r/s range for ECDSA), payload JSON without duplicate members or __proto__, exp
 * (always required), nbf/iat against the clock, typ = at+jwt, iss, aud, claim types; the payload is
 * deep-frozen. typ is checked because fast-jwt and jose check it too (only jsonwebtoken cannot).
 */
export function tesseraCases(fixture: Fixture): BenchCase[] {
  const options = { algorithms: [fixture.alg], issuer: ISSUER, audience: AUDIENCE, typ: TOKEN_TYPE };
  const verifier = createJwtVerifier(fixture.key, options);
  // Same policy behind the verified-token cache: the cached case re-verifies one token, so every
  // timed call after the first is a hit.
  const cachedVerifier = createJwtVerifier(fixture.key, { ...options, cache: {} });
  const { claims, key } = fixture;
  const signOptions = { typ: TOKEN_TYPE };
  return [
    syncSignCase(fixture, 'tessera', () => signJwt(claims, key, signOptions)),
    syncVerifyCase(fixture, 'tessera', (token) => verifier.verify(token).payload.exp),
    syncVerifyCase(fixture, 'tessera-cached', (token) => cachedVerifier.verify(token).payload.exp),
  ];
}
