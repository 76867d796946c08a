/**
 * Interoperability with panva/jose, for every algorithm Tessera supports: Tessera's tokens verify in
 * jose, jose's tokens verify in Tessera (key material moved as PEM, JWK or KeyObject), and both agree
 * on public JWKs and RFC 7638 thumbprints. Times are fixed; nothing sleeps.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  generateSecret,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  computeJwkThumbprint,
  exportPublicJwk,
  generateKey,
  importKey,
  KeyRing,
  type Jwk,
} from '../../src/keys/index.js';
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
const ASYMMETRIC_ALGS = ALGS.filter((alg) => ALGORITHMS[alg].family !== 'hmac');

/** Key material generated on jose's side: what jose signs with and what Tessera is given. */
interface JoseKeys {
  sign: CryptoKey | KeyObject | Uint8Array;
  /** Public key (or the secret) for Tessera, as jose exports it. */
  jwk: JWK;
  /** SPKI PEM of the public key; undefined for HMAC secrets. */
  spki: string | undefined;
  pkcs8: string | undefined;
}

let tessera: Record<JwsAlgorithm, JwsKey>;
let foreign: Record<JwsAlgorithm, JoseKeys>;

beforeAll(async () => {
  // Each RSA key is generated once per file: six on Tessera's side, one shared by jose's RS*/PS*.
  tessera = Object.fromEntries(ALGS.map((alg) => [alg, generateKey(alg)])) as Record<JwsAlgorithm, JwsKey>;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const entries = await Promise.all(
    ALGS.map(async (alg): Promise<[JwsAlgorithm, JoseKeys]> => {
      const family = ALGORITHMS[alg].family;
      if (family === 'hmac') {
        const secret = await generateSecret(alg, { extractable: true });
        return [alg, { sign: secret, jwk: await exportJWK(secret), spki: undefined, pkcs8: undefined }];
      }
      if (family === 'rsa' || family === 'rsa-pss') {
        const { privateKey, publicKey } = rsa;
        return [
          alg,
          {
            sign: privateKey,
            jwk: await exportJWK(publicKey),
            spki: await exportSPKI(publicKey),
            pkcs8: await exportPKCS8(privateKey),
          },
        ];
      }
      const pair = await generateKeyPair(alg, {
        extractable: true,
        ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
      });
      return [
        alg,
        {
          sign: pair.privateKey,
          jwk: await exportJWK(pair.publicKey),
          spki: await exportSPKI(pair.publicKey),
          pkcs8: await exportPKCS8(pair.privateKey),
        },
      ];
    }),
  );
  foreign = Object.fromEntries(entries) as Record<JwsAlgorithm, JoseKeys>;
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

function signWithJose(alg: JwsAlgorithm, subject: string): Promise<string> {
  return new SignJWT({ scope: 'read' })
    .setProtectedHeader({ alg, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setSubject(subject)
    .setAudience(AUDIENCE)
    .setIssuedAt(NOW)
    .setExpirationTime(NOW + 900)
    .setJti(`jti-${subject}`)
    .sign(foreign[alg].sign);
}

async function rejectsInJose(token: string, key: KeyObject | CryptoKey | Uint8Array, alg: JwsAlgorithm) {
  await expect(jwtVerify(token, key, { algorithms: [alg], currentDate: NOW_DATE })).rejects.toMatchObject({
    code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  });
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

/** The raw secret of a jose-exported oct JWK. */
function secretOf(jwk: JWK): Buffer {
  return Buffer.from(jwk.k!, 'base64url');
}

describe.each(ALGS)('%s', (alg) => {
  it('a token signed by Tessera verifies in jose (KeyObject), with header and claims intact', async () => {
    const key = tessera[alg];
    const token = signJwt(claims('tessera-to-jose'), key, { typ: 'at+jwt' });
    const { payload, protectedHeader } = await jwtVerify(token, key.verificationKey, {
      algorithms: [alg],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      currentDate: NOW_DATE,
    });
    expect(protectedHeader).toEqual({ alg, kid: key.kid, typ: 'at+jwt' });
    expect(payload).toEqual(claims('tessera-to-jose'));
  });

  it('jose refuses a Tessera token under a different key of the same algorithm', async () => {
    const token = signJwt(claims('wrong-key'), tessera[alg]);
    const other =
      ALGORITHMS[alg].family === 'hmac' ? secretOf(foreign[alg].jwk) : await importJWK(foreign[alg].jwk, alg);
    await rejectsInJose(token, other, alg);
  });

  it('jose refuses a Tessera token once its payload is altered', async () => {
    const key = tessera[alg];
    const [header, , signature] = signJwt(claims('original'), key).split('.');
    const forged = Buffer.from(JSON.stringify(claims('forged'))).toString('base64url');
    await rejectsInJose(`${header}.${forged}.${signature}`, key.verificationKey, alg);
  });

  it('a token signed by jose verifies in Tessera (key imported from the exported JWK)', async () => {
    const token = await signWithJose(alg, 'jose-to-tessera');
    const { jwk } = foreign[alg];
    const key =
      ALGORITHMS[alg].family === 'hmac'
        ? importKey({ alg, secret: secretOf(jwk) })
        : importKey({ alg, jwk: jwk as Jwk });
    const { header, payload } = verifyJwt(token, key, {
      algorithms: [alg],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      now: NOW_DATE,
    });
    expect(header).toEqual({ alg, typ: 'at+jwt' });
    expect(payload).toEqual(claims('jose-to-tessera'));
  });

  it('Tessera refuses a jose token under a different key of the same algorithm', async () => {
    const token = await signWithJose(alg, 'wrong-key');
    expect(tokenErrorCode(() => verifyJwt(token, tessera[alg], { now: NOW_DATE }))).toBe(
      'token_signature_invalid',
    );
  });
});

describe.each(ASYMMETRIC_ALGS)('%s key material', (alg) => {
  it('a jose token verifies in Tessera with the key imported from SPKI PEM, PKCS#8 PEM and KeyObject', async () => {
    const token = await signWithJose(alg, 'pem');
    const { spki, pkcs8, jwk } = foreign[alg];
    const fromSpki = importKey({ alg, pem: spki! });
    const fromPkcs8 = importKey({ alg, pem: pkcs8! });
    const fromKeyObject = importKey({ alg, keyObject: fromSpki.verificationKey });
    expect(fromSpki.signingKey).toBeUndefined();
    expect(fromPkcs8.signingKey).toBeDefined();
    for (const key of [fromSpki, fromPkcs8, fromKeyObject]) {
      expect(verifyJwt(token, key, { now: NOW_DATE }).payload.sub).toBe('pem');
      expect(key.kid).toBe(await calculateJwkThumbprint(jwk));
    }
  });

  it('jose exportJWK of the Tessera public key has exactly the members of exportPublicJwk', async () => {
    const key = tessera[alg];
    const joseJwk = await exportJWK(key.verificationKey);
    expect(exportPublicJwk(key)).toEqual({ ...joseJwk, kid: key.kid, alg, use: 'sig' });
  });

  it('jose imports the JWK Tessera publishes and verifies Tessera tokens with it', async () => {
    const key = tessera[alg];
    const published = new KeyRing([key]).jwks().keys[0]!;
    const imported = await importJWK(published as JWK, alg);
    const token = signJwt(claims('jwks'), key);
    const { payload } = await jwtVerify(token, imported, { algorithms: [alg], currentDate: NOW_DATE });
    expect(payload.sub).toBe('jwks');
  });

  it('jose calculateJwkThumbprint equals computeJwkThumbprint and the default kid', async () => {
    const key = tessera[alg];
    const publicJwk = exportPublicJwk(key);
    const joseThumbprint = await calculateJwkThumbprint(publicJwk as JWK);
    expect(computeJwkThumbprint(publicJwk)).toBe(joseThumbprint);
    expect(key.kid).toBe(joseThumbprint);
    expect(computeJwkThumbprint(foreign[alg].jwk as Record<string, unknown>)).toBe(
      await calculateJwkThumbprint(foreign[alg].jwk),
    );
  });
});

describe.each(ALGS.filter((alg) => ALGORITHMS[alg].family === 'hmac'))('%s secret', (alg) => {
  it('jose and Tessera agree on the thumbprint of an oct JWK', async () => {
    const key = tessera[alg];
    const joseJwk = await exportJWK(key.verificationKey);
    expect(joseJwk.kty).toBe('oct');
    expect(computeJwkThumbprint(joseJwk as Record<string, unknown>)).toBe(
      await calculateJwkThumbprint(joseJwk),
    );
    expect(key.kid).toBe(await calculateJwkThumbprint(joseJwk));
  });

  it('a jose token verifies in Tessera with the secret imported as an oct JWK', async () => {
    const token = await signWithJose(alg, 'oct');
    const jwk = foreign[alg].jwk;
    const key = importKey({ alg, jwk: { kty: 'oct', k: jwk.k! } });
    expect(verifyJwt(token, key, { now: NOW_DATE }).payload.sub).toBe('oct');
  });
});
