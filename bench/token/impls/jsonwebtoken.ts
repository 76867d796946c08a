import jwt from 'jsonwebtoken';
import type { BenchCase } from '../cases.js';
import { syncSignCase, syncVerifyCase } from '../case-builders.js';
import { AUDIENCE, ISSUER, TOKEN_TYPE, type Fixture } from '../fixtures.js';

/**
 * jsonwebtoken, the most used JWT library, for reference. It has no EdDSA, so that algorithm gets no
 * row. Verification checks: alg in the allowlist, the signature, exp, nbf, iss, aud, claim types;
 * it cannot check typ (the header still carries it, so it signs the same header as the others).
 */
export function jsonwebtokenCases(fixture: Fixture): BenchCase[] {
  const { alg, claims, privateKey, publicKey } = fixture;
  if (alg === 'EdDSA') return [];
  const signOptions: jwt.SignOptions = {
    algorithm: alg,
    keyid: fixture.key.kid,
    header: { alg, typ: TOKEN_TYPE },
  };
  const verifyOptions: jwt.VerifyOptions & { complete?: false } = {
    algorithms: [alg],
    issuer: ISSUER,
    audience: AUDIENCE,
  };
  return [
    syncSignCase(fixture, 'jsonwebtoken', () => jwt.sign(claims, privateKey, signOptions)),
    syncVerifyCase(
      fixture,
      'jsonwebtoken',
      (token) => (jwt.verify(token, publicKey, verifyOptions) as jwt.JwtPayload).exp!,
    ),
  ];
}
