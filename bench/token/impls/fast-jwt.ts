import { createSigner, createVerifier } from 'fast-jwt';
import type { BenchCase } from '../cases.js';
import { syncSignCase, syncVerifyCase } from '../case-builders.js';
import { AUDIENCE, ISSUER, TOKEN_TYPE, type Fixture } from '../fixtures.js';

/**
 * fast-jwt, the fastest mainstream JWT library and the target's yardstick. Verification checks: alg
 * in the allowlist, the signature, crit, typ = at+jwt (checkTyp), exp (made required, as Tessera
 * always requires it), nbf/iat, iss (allowedIss), aud (allowedAud), claim types. It does not refuse
 * duplicate JSON members, leaves ECDSA r/s ranges to OpenSSL and returns a mutable payload.
 */
export function fastJwtCases(fixture: Fixture): BenchCase[] {
  const { alg, claims } = fixture;
  const sign = createSigner({
    key: fixture.fastJwtSigningKey,
    algorithm: alg,
    kid: fixture.key.kid,
    header: { alg, typ: TOKEN_TYPE },
  });
  const options = {
    key: fixture.fastJwtVerificationKey,
    algorithms: [alg],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    checkTyp: TOKEN_TYPE,
    requiredClaims: ['exp'],
  };
  const verify = createVerifier({ ...options, cache: false });
  // fast-jwt's own verified-token cache (an LRU keyed by a hash of the token): the fair peer of tessera-cached.
  const cachedVerify = createVerifier({ ...options, cache: true });
  return [
    syncSignCase(fixture, 'fast-jwt', () => sign(claims)),
    syncVerifyCase(fixture, 'fast-jwt', (token) => (verify(token) as { exp: number }).exp),
    syncVerifyCase(fixture, 'fast-jwt-cached', (token) => (cachedVerify(token) as { exp: number }).exp),
  ];
}
