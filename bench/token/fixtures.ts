import { randomUUID, type KeyObject } from 'node:crypto';
import { generateKey } from '../../src/keys/index.js';
import { signJwt, type JwsAlgorithm, type JwsKey, type JwtClaims } from '../../src/token/index.js';

/** The algorithms benchmarked: the five the targets name, plus ES384 and HS512 because they are cheap. */
export const BENCH_ALGS = [
  'HS256',
  'HS512',
  'RS256',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
] as const satisfies readonly JwsAlgorithm[];
export type BenchAlg = (typeof BENCH_ALGS)[number];

// What every verifier is asked to check, where it can (see each implementation for what it checks).
export const ISSUER = 'https://auth.tessera.test';
export const AUDIENCE = 'https://api.tessera.test';
/** RFC 9068 access tokens; every signer puts it in the header, so all headers carry the same members. */
export const TOKEN_TYPE = 'at+jwt';

/** One algorithm's keys, claims and reference token, shared by every implementation. */
export interface Fixture {
  readonly alg: BenchAlg;
  /** Tessera's key: one algorithm, with its kid, over the KeyObjects below. */
  readonly key: JwsKey;
  /** The HMAC secret or the private key, as a KeyObject: what node:crypto, jose and jsonwebtoken sign with. */
  readonly privateKey: KeyObject;
  /** The HMAC secret or the public key, as a KeyObject. */
  readonly publicKey: KeyObject;
  /** fast-jwt only takes PEM text or raw secret bytes (it turns them into a KeyObject once, at creation). */
  readonly fastJwtSigningKey: string | Buffer;
  readonly fastJwtVerificationKey: string | Buffer;
  /** Identical claims for every signer: the realistic access-token shape. */
  readonly claims: Readonly<JwtClaims>;
  /** A Tessera-signed token with those claims: the one token every verifier verifies. */
  readonly token: string;
  /** The token's "header.payload" and signature, for the raw node:crypto baseline. */
  readonly signingInput: string;
  readonly signingInputBytes: Buffer;
  readonly signature: Buffer;
}

export function createFixture(alg: BenchAlg, nowSeconds: number): Fixture {
  const key = generateKey(alg, { kid: `bench-${alg}` });
  if (key.signingKey === undefined) throw new Error(`generateKey(${alg}) returned a verification-only key.`);
  const privateKey = key.signingKey;
  const publicKey = key.verificationKey;
  const isHmac = key.spec.family === 'hmac';
  // Frozen, so a library that mutates the claims it is handed fails its pre-flight check loudly.
  const claims: Readonly<JwtClaims> = Object.freeze({
    sub: 'user-8f14e45f',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: nowSeconds,
    exp: nowSeconds + 15 * 60,
    jti: randomUUID(),
    roles: Object.freeze(['user', 'billing:read', 'billing:write']) as unknown as string[],
  });
  const token = signJwt(claims, key, { typ: TOKEN_TYPE });
  const lastDot = token.lastIndexOf('.');
  const signingInput = token.slice(0, lastDot);
  return {
    alg,
    key,
    privateKey,
    publicKey,
    fastJwtSigningKey: isHmac
      ? privateKey.export()
      : (privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    fastJwtVerificationKey: isHmac
      ? publicKey.export()
      : (publicKey.export({ type: 'spki', format: 'pem' }) as string),
    claims,
    token,
    signingInput,
    signingInputBytes: Buffer.from(signingInput, 'latin1'),
    signature: Buffer.from(token.slice(lastDot + 1), 'base64url'),
  };
}

/** The token with one signature character changed: every verifier must refuse it. */
export function tamperedToken(token: string): string {
  const at = token.lastIndexOf('.') + 4; // well inside the signature, never its padding bits
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}
