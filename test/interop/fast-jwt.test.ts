/**
 * Interoperability with fast-jwt, for every algorithm Tessera supports (fast-jwt supports all of them):
 * Tessera's tokens verify in fast-jwt's createVerifier, and fast-jwt's createSigner tokens verify in
 * Tessera, with keys moved as PEM, JWK or KeyObject. Times are fixed; nothing sleeps.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createDecoder, createSigner, createVerifier, type Algorithm } from 'fast-jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey, importKey, KeyRing, type Jwk } from '../../src/keys/index.js';
import {
  ALGORITHMS,
  JWS_ALGORITHMS,
  signJwt,
  TokenError,
  verifyJwt,
  type JwsAlgorithm,
  type JwsKey,
} from '../../src/token/index.js';

const NOW = 1_750_000_000;
const NOW_DATE = new Date(NOW * 1000);
const ISSUER = 'https://tessera.test';
const AUDIENCE = 'interop-api';
const ALGS: JwsAlgorithm[] = [...JWS_ALGORITHMS];
const EC_CURVES = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' } as const;

/** Key material on fast-jwt's side: a private PEM (or raw secret) to sign with, and its public half. */
interface ForeignKeys {
  /** PKCS#8 PEM, or the raw secret for HMAC. */
  signing: string | Buffer;
  /** The public KeyObject; undefined for HMAC. */
  publicKey: KeyObject | undefined;
}

let tessera: Record<JwsAlgorithm, JwsKey>;
let foreign: Record<JwsAlgorithm, ForeignKeys>;

beforeAll(() => {
  // Each RSA key is generated once per file: six on Tessera's side, one shared by fast-jwt's RS*/PS*.
  tessera = Object.fromEntries(ALGS.map((alg) => [alg, generateKey(alg)])) as Record<JwsAlgorithm, JwsKey>;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (privateKey: KeyObject) => privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  foreign = Object.fromEntries(
    ALGS.map((alg): [JwsAlgorithm, ForeignKeys] => {
      const spec = ALGORITHMS[alg];
      switch (spec.family) {
        case 'hmac':
          return [alg, { signing: randomBytes(spec.minSecretBytes!), publicKey: undefined }];
        case 'rsa':
        case 'rsa-pss':
          return [alg, { signing: pem(rsa.privateKey), publicKey: rsa.publicKey }];
        case 'ecdsa': {
          const pair = generateKeyPairSync('ec', { namedCurve: EC_CURVES[alg as keyof typeof EC_CURVES] });
          return [alg, { signing: pem(pair.privateKey), publicKey: pair.publicKey }];
        }
        case 'eddsa': {
          const pair = generateKeyPairSync('ed25519');
          return [alg, { signing: pem(pair.privateKey), publicKey: pair.publicKey }];
        }
      }
    }),
  ) as Record<JwsAlgorithm, ForeignKeys>;
});

function claims(subject: string) {
  return {
    iss: ISSUER,
    sub: subject,
    aud: AUDIENCE,
    iat: NOW,
    exp: NOW + 900,
    jti: `jti-${subject}`,
    scope: 'read',
  };
}

/** What fast-jwt's verifier takes: the public key as SPKI PEM, or the HMAC secret bytes. */
function fastJwtVerificationKey(key: JwsKey): string | Buffer {
  return key.spec.family === 'hmac'
    ? key.verificationKey.export()
    : (key.verificationKey.export({ type: 'spki', format: 'pem' }) as string);
}

function fastJwtVerifier(alg: JwsAlgorithm, key: string | Buffer) {
  return createVerifier({
    key,
    algorithms: [alg as Algorithm],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    clockTimestamp: NOW * 1000,
    complete: true,
  });
}

function signWithFastJwt(alg: JwsAlgorithm, subject: string, kid?: string): string {
  const sign = createSigner({
    key: foreign[alg].signing,
    algorithm: alg as Algorithm,
    iss: ISSUER,
    sub: subject,
    aud: AUDIENCE,
    jti: `jti-${subject}`,
    clockTimestamp: NOW * 1000,
    expiresIn: 900_000,
    header: { alg, typ: 'at+jwt' },
    ...(kid === undefined ? {} : { kid }),
  });
  return sign({ scope: 'read' });
}

/** Tessera's import of fast-jwt's key: the raw secret for HMAC, else from the exported public JWK. */
function tesseraImportOfForeign(alg: JwsAlgorithm, kid?: string): JwsKey {
  const { signing, publicKey } = foreign[alg];
  const options = kid === undefined ? {} : { kid };
  return publicKey === undefined
    ? importKey({ alg, secret: signing as Buffer, ...options })
    : importKey({ alg, jwk: publicKey.export({ format: 'jwk' }) as Jwk, ...options });
}

function tokenErrorCode(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  throw new Error('expected a TokenError, but nothing was thrown');
}

function fastJwtErrorCode(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
  throw new Error('expected fast-jwt to throw, but nothing was thrown');
}

describe.each(ALGS)('%s', (alg) => {
  it('a token signed by Tessera verifies in fast-jwt, with header and claims intact', () => {
    const key = tessera[alg];
    const token = signJwt(claims('tessera-to-fast-jwt'), key, { typ: 'at+jwt' });
    const { header, payload } = fastJwtVerifier(alg, fastJwtVerificationKey(key))(token);
    expect(header).toEqual({ alg, kid: key.kid, typ: 'at+jwt' });
    expect(payload).toEqual(claims('tessera-to-fast-jwt'));
  });

  it('fast-jwt refuses a Tessera token under a different key of the same algorithm', () => {
    const token = signJwt(claims('wrong-key'), tessera[alg]);
    const other = tesseraImportOfForeign(alg);
    expect(fastJwtErrorCode(() => fastJwtVerifier(alg, fastJwtVerificationKey(other))(token))).toBe(
      'FAST_JWT_INVALID_SIGNATURE',
    );
  });

  it('fast-jwt refuses a Tessera token once its payload is altered', () => {
    const key = tessera[alg];
    const [header, , signature] = signJwt(claims('original'), key).split('.');
    const forged = Buffer.from(JSON.stringify(claims('forged'))).toString('base64url');
    expect(
      fastJwtErrorCode(() =>
        fastJwtVerifier(alg, fastJwtVerificationKey(key))(`${header}.${forged}.${signature}`),
      ),
    ).toBe('FAST_JWT_INVALID_SIGNATURE');
  });

  it('a token signed by fast-jwt verifies in Tessera', () => {
    const token = signWithFastJwt(alg, 'fast-jwt-to-tessera');
    const { header, payload } = verifyJwt(token, tesseraImportOfForeign(alg), {
      algorithms: [alg],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      now: NOW_DATE,
    });
    expect(header).toEqual({ alg, typ: 'at+jwt' });
    expect(payload).toEqual(claims('fast-jwt-to-tessera'));
  });

  it('Tessera refuses a fast-jwt token under a different key of the same algorithm', () => {
    const token = signWithFastJwt(alg, 'wrong-key');
    expect(tokenErrorCode(() => verifyJwt(token, tessera[alg], { now: NOW_DATE }))).toBe(
      'token_signature_invalid',
    );
  });

  it('a fast-jwt token is refused by Tessera once it has expired', () => {
    const token = signWithFastJwt(alg, 'expiry');
    const key = tesseraImportOfForeign(alg);
    const atExp = new Date((NOW + 900) * 1000);
    expect(tokenErrorCode(() => verifyJwt(token, key, { now: atExp, clockToleranceSeconds: 0 }))).toBe(
      'token_expired',
    );
  });
});

describe('fast-jwt tokens against a Tessera KeyRing', () => {
  it('every fast-jwt token finds its key by kid in one ring holding a key of each algorithm', () => {
    const ring = new KeyRing(ALGS.map((alg) => tesseraImportOfForeign(alg, `fast-jwt-${alg}`)));
    for (const alg of ALGS) {
      const token = signWithFastJwt(alg, `ring-${alg}`, `fast-jwt-${alg}`);
      const { header, payload } = verifyJwt(token, ring, { now: NOW_DATE, audience: AUDIENCE });
      expect(header).toMatchObject({ alg, kid: `fast-jwt-${alg}` });
      expect(payload.sub).toBe(`ring-${alg}`);
    }
  });

  it('a fast-jwt token naming the kid of a key for another algorithm is refused', () => {
    const ring = new KeyRing([tesseraImportOfForeign('ES256', 'k1'), tesseraImportOfForeign('ES384', 'k2')]);
    const token = signWithFastJwt('ES256', 'mismatch', 'k2');
    expect(tokenErrorCode(() => verifyJwt(token, ring, { now: NOW_DATE }))).toBe('token_alg_not_allowed');
  });
});

describe.each(ALGS.filter((alg) => ALGORITHMS[alg].family !== 'hmac'))('%s PEM key material', (alg) => {
  it('a fast-jwt token verifies in Tessera with the key imported from PKCS#8 PEM, SPKI PEM and KeyObject', () => {
    const token = signWithFastJwt(alg, 'pem');
    const { signing, publicKey } = foreign[alg];
    const keys = [
      importKey({ alg, pem: signing as string }),
      importKey({ alg, pem: publicKey!.export({ type: 'spki', format: 'pem' }) as string }),
      importKey({ alg, keyObject: publicKey! }),
    ];
    expect(keys.map((key) => key.signingKey === undefined)).toEqual([false, true, true]);
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
    for (const key of keys) expect(verifyJwt(token, key, { now: NOW_DATE }).payload.sub).toBe('pem');
  });

  it('fast-jwt decodes a Tessera token to the same header and claims Tessera signed', () => {
    const key = tessera[alg];
    const token = signJwt(claims('decode'), key, { typ: 'at+jwt', header: { cty: 'example' } });
    const decoded = createDecoder({ complete: true })(token) as { header: unknown; payload: unknown };
    expect(decoded.header).toEqual({ alg, kid: key.kid, typ: 'at+jwt', cty: 'example' });
    expect(decoded.payload).toEqual(claims('decode'));
  });
});
