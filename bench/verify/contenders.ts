import { createVerifier as createFastJwtVerifier } from 'fast-jwt';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { createVerifier } from '../../src/verify/index.js';
import { verifyContender, type VerifyContender } from './contender.js';
import type { VerifyFixture } from './fixture.js';
import {
  ALGORITHM,
  AUDIENCE,
  CLOCK_TOLERANCE_SECONDS,
  ISSUER,
  REQUIRED_CLAIMS,
  TOKEN_TYPE,
} from './policy.js';

/** The main peer: every ratio in the verify table is over this row. */
export const PEER = 'jose-remote';

/**
 * The five verify rows, in display order. All of them check the same policy (policy.ts): the two
 * tessera/verify rows and jose-remote fetch the key set from `jwksUrl`, once, then serve it from
 * their caches; jose-local and fast-jwt are handed the key directly, for reference.
 */
export function buildVerifyContenders(fixture: VerifyFixture, jwksUrl: string): VerifyContender[] {
  const tesseraOptions = {
    jwksUri: jwksUrl,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: [ALGORITHM],
    typ: TOKEN_TYPE,
    clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
  };
  const tesseraUncached = createVerifier({ ...tesseraOptions, cacheMaxEntries: 0 });
  const tesseraCached = createVerifier(tesseraOptions); // default: a 10,000-entry verified-token LRU
  const fastJwt = createFastJwtVerifier({
    key: fixture.publicKeyPem,
    algorithms: [ALGORITHM],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    checkTyp: TOKEN_TYPE,
    requiredClaims: REQUIRED_CLAIMS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
    cache: false,
  });
  return [
    verifyContender(fixture, 'tessera-remote', 'tessera/verify, remote JWKS, cache off', {
      mode: 'async',
      verify: async (token) => (await tesseraUncached.verify(token)).exp,
    }),
    verifyContender(fixture, 'tessera-remote-cached', 'tessera/verify, remote JWKS, cache on', {
      mode: 'async',
      verify: async (token) => (await tesseraCached.verify(token)).exp,
    }),
    joseContender(fixture, PEER, 'jose, createRemoteJWKSet', createRemoteJWKSet(new URL(jwksUrl))),
    joseContender(fixture, 'jose-local', 'jose, createLocalJWKSet', createLocalJWKSet(fixture.jwks)),
    verifyContender(fixture, 'fast-jwt', 'fast-jwt, public key', {
      mode: 'sync',
      verify: (token) => (fastJwt(token) as { exp: number }).exp,
    }),
  ];
}

/** jose over WebCrypto: async, with the key set resolved per call by kid through `keys`. */
function joseContender(
  fixture: VerifyFixture,
  name: string,
  label: string,
  keys: JWTVerifyGetKey,
): VerifyContender {
  const options = {
    algorithms: [ALGORITHM],
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: TOKEN_TYPE,
    requiredClaims: REQUIRED_CLAIMS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
  return verifyContender(fixture, name, label, {
    mode: 'async',
    verify: async (token) => (await jwtVerify(token, keys, options)).payload.exp!,
  });
}
