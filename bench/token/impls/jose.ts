import { jwtVerify, SignJWT } from 'jose';
import type { BenchCase } from '../cases.js';
import { asyncSignCase, asyncVerifyCase } from '../case-builders.js';
import { AUDIENCE, ISSUER, TOKEN_TYPE, type Fixture } from '../fixtures.js';

/**
 * jose, over WebCrypto: every call is async, so it is measured awaiting each call in turn. It is
 * handed the same KeyObjects (it converts each to a CryptoKey once and caches it). Verification
 * checks: alg in the allowlist, the signature, crit, typ = at+jwt, exp (required), nbf/iat, iss, aud,
 * claim types.
 */
export function joseCases(fixture: Fixture): BenchCase[] {
  const { alg, claims, privateKey, publicKey } = fixture;
  const header = { alg, kid: fixture.key.kid, typ: TOKEN_TYPE };
  const options = {
    algorithms: [alg],
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: TOKEN_TYPE,
    requiredClaims: ['exp'],
  };
  return [
    asyncSignCase(fixture, 'jose', () => new SignJWT(claims).setProtectedHeader(header).sign(privateKey)),
    asyncVerifyCase(
      fixture,
      'jose',
      async (token) => (await jwtVerify(token, publicKey, options)).payload.exp!,
    ),
  ];
}
