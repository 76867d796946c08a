/**
 * Published RFC examples, checked both ways: every published JWS verifies, and where the
 * algorithm is deterministic (HMAC, RSASSA-PKCS1-v1_5, Ed25519) Tessera reproduces the exact published
 * signature from the published header and payload segments. ECDSA and RSASSA-PSS are randomized, so
 * for those a fresh signature over the same signing input must verify instead.
 *
 * The data lives in the JSON files next to this one; each names its RFC section and where it was copied from.
 */
import { createECDH, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildJwks,
  computeJwkThumbprint,
  exportPublicJwk,
  importKey,
  KeyRing,
  type Jwk,
} from '../../src/keys/index.js';
import {
  encodeBase64url,
  signEncodedJws,
  TokenError,
  verifyJws,
  verifyJwt,
  type JwsAlgorithm,
  type JwsKey,
} from '../../src/token/index.js';

interface JwsVector {
  title: string;
  source: string;
  url: string;
  copiedFrom: string;
  alg: JwsAlgorithm;
  deterministic: boolean;
  key: Jwk;
  protectedHeader: string;
  protectedHeaderB64u: string;
  payload: string;
  payloadB64u: string;
  signatureB64u: string;
  compact: string;
}

interface Ed25519Vector extends JwsVector {
  secretKeyHex: string;
  publicKeyHex: string;
  publicKeyThumbprint: string;
  publicKeyThumbprintHex: string;
}

interface ThumbprintVector {
  title: string;
  source: string;
  key: Jwk;
  canonicalJson: string;
  thumbprint: string;
}

function load<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as T;
}

const rfc7515A1 = load<JwsVector>('./rfc7515-a1-hs256.json');
const rfc7515A2 = load<JwsVector>('./rfc7515-a2-rs256.json');
const rfc7515A3 = load<JwsVector>('./rfc7515-a3-es256.json');
const rfc7515A4 = load<JwsVector>('./rfc7515-a4-es512.json');
const rfc7520S41 = load<JwsVector>('./rfc7520-4.1-rs256.json');
const rfc7520S42 = load<JwsVector>('./rfc7520-4.2-ps384.json');
const rfc7520S43 = load<JwsVector>('./rfc7520-4.3-es512.json');
const rfc7520S44 = load<JwsVector>('./rfc7520-4.4-hs256.json');
const rfc8037A4 = load<Ed25519Vector>('./rfc8037-a4-eddsa.json');
const rfc7638 = load<ThumbprintVector>('./rfc7638-3.1-thumbprint.json');

const JWS_VECTORS: readonly JwsVector[] = [
  rfc7515A1,
  rfc7515A2,
  rfc7515A3,
  rfc7515A4,
  rfc7520S41,
  rfc7520S42,
  rfc7520S43,
  rfc7520S44,
  rfc8037A4,
];
/** RFC 7515 A.1–A.3 carry a JWT claim set; A.4 and the RFC 7520 / 8037 examples carry plain text. */
const JWT_VECTORS: readonly JwsVector[] = [rfc7515A1, rfc7515A2, rfc7515A3];
/** exp of the RFC 7515 claim set: 2011-03-22T18:43:00Z. */
const RFC7515_EXP = 1300819380;

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

function keyFor(vector: JwsVector): JwsKey {
  return importKey({ jwk: vector.key, alg: vector.alg });
}

/** The public half of a published private JWK: only the members RFC 7518 §6 lists as public. */
function publicPart(jwk: Jwk): Jwk {
  const publicNames = ['kty', 'kid', 'use', 'alg', 'crv', 'x', 'y', 'n', 'e'];
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => publicNames.includes(name))) as Jwk;
}

/** Flips one bit in the middle of a base64url segment's bytes, keeping the encoding canonical. */
function flipBit(segment: string): string {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[bytes.length >> 1]! ^= 0x01;
  return bytes.toString('base64url');
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

describe.each(JWS_VECTORS.map((vector) => [vector.title, vector] as const))('%s', (_title, vector) => {
  it('has segments that encode its own header and payload (the data file is consistent)', () => {
    expect(encodeBase64url(vector.protectedHeader)).toBe(vector.protectedHeaderB64u);
    expect(encodeBase64url(vector.payload)).toBe(vector.payloadB64u);
    expect(vector.compact).toBe(`${vector.protectedHeaderB64u}.${vector.payloadB64u}.${vector.signatureB64u}`);
  });

  it('verifies the published JWS with the published private key', () => {
    const { header, payload } = verifyJws(vector.compact, keyFor(vector), { algorithms: [vector.alg] });
    expect(header.alg).toBe(vector.alg);
    expect(payload.toString('utf8')).toBe(vector.payload);
  });

  it('refuses the published JWS once a bit of its signature or payload is flipped', () => {
    const key = keyFor(vector);
    const badSignature = `${vector.protectedHeaderB64u}.${vector.payloadB64u}.${flipBit(vector.signatureB64u)}`;
    const badPayload = `${vector.protectedHeaderB64u}.${flipBit(vector.payloadB64u)}.${vector.signatureB64u}`;
    expect(tokenErrorCode(() => verifyJws(badSignature, key))).toBe('token_signature_invalid');
    expect(tokenErrorCode(() => verifyJws(badPayload, key))).toBe('token_signature_invalid');
  });

  if (vector.deterministic) {
    it('reproduces the exact published signature', () => {
      const signed = signEncodedJws(vector.protectedHeaderB64u, vector.payloadB64u, keyFor(vector));
      expect(signed).toBe(vector.compact);
    });
  } else {
    it('signs the same input afresh (randomized algorithm) and the fresh signature verifies', () => {
      const key = keyFor(vector);
      const fresh = signEncodedJws(vector.protectedHeaderB64u, vector.payloadB64u, key);
      const [header, payload, signature] = fresh.split('.');
      expect(`${header}.${payload}`).toBe(`${vector.protectedHeaderB64u}.${vector.payloadB64u}`);
      expect(Buffer.from(signature!, 'base64url').length).toBe(
        Buffer.from(vector.signatureB64u, 'base64url').length,
      );
      expect(verifyJws(fresh, key).payload.toString('utf8')).toBe(vector.payload);
    });
  }

  if (vector.key.kty !== 'oct') {
    it('verifies the published JWS with a verification-only key built from the public members', () => {
      const publicKey = importKey({ jwk: publicPart(vector.key), alg: vector.alg });
      expect(publicKey.signingKey).toBeUndefined();
      expect(verifyJws(vector.compact, publicKey).payload.toString('utf8')).toBe(vector.payload);
      expect(() => signEncodedJws(vector.protectedHeaderB64u, vector.payloadB64u, publicKey)).toThrow(TypeError);
    });
  }
});

describe('RFC 7515 Appendix A.1–A.3: the payload is a JWT that expired at 1300819380', () => {
  const beforeExp = new Date((RFC7515_EXP - 60) * 1000);

  it.each(JWT_VECTORS.map((vector) => [vector.source, vector] as const))(
    '%s verifies as a JWT at a time before exp',
    (_source, vector) => {
      const { header, payload } = verifyJwt(vector.compact, keyFor(vector), {
        algorithms: [vector.alg],
        issuer: 'joe',
        now: beforeExp,
      });
      expect(header.alg).toBe(vector.alg);
      expect(payload).toEqual({ iss: 'joe', exp: RFC7515_EXP, 'http://example.com/is_root': true });
    },
  );

  it.each(JWT_VECTORS.map((vector) => [vector.source, vector] as const))(
    '%s is expired at exp itself and today',
    (_source, vector) => {
      const key = keyFor(vector);
      const atExp = new Date(RFC7515_EXP * 1000);
      expect(tokenErrorCode(() => verifyJwt(vector.compact, key, { now: atExp, clockToleranceSeconds: 0 }))).toBe(
        'token_expired',
      );
      expect(tokenErrorCode(() => verifyJwt(vector.compact, key))).toBe('token_expired');
    },
  );

  it('RFC 7515 Appendix A.1 declares typ "JWT", which an explicit typ check accepts', () => {
    const key = keyFor(rfc7515A1);
    expect(verifyJwt(rfc7515A1.compact, key, { typ: 'JWT', now: beforeExp }).header.typ).toBe('JWT');
    expect(tokenErrorCode(() => verifyJwt(rfc7515A1.compact, key, { typ: 'at+jwt', now: beforeExp }))).toBe(
      'token_claim_invalid',
    );
  });

  it('RFC 7515 Appendix A.1 does not verify under the RFC 7520 HS256 key (the key decides)', () => {
    const otherKey = keyFor(rfc7520S44);
    expect(tokenErrorCode(() => verifyJwt(rfc7515A1.compact, otherKey, { now: beforeExp }))).toBe(
      'token_signature_invalid',
    );
  });
});

describe('published private keys match their published public members', () => {
  const nodeCurve: Record<string, string> = { 'P-256': 'prime256v1', 'P-521': 'secp521r1' };

  it.each([rfc7515A3, rfc7515A4, rfc7520S43].map((vector) => [vector.source, vector] as const))(
    '%s: the EC public point is d·G',
    (_source, vector) => {
      const { crv, d, x, y } = vector.key as Jwk & { crv: string; d: string; x: string; y: string };
      const ecdh = createECDH(nodeCurve[crv]!);
      ecdh.setPrivateKey(Buffer.from(d, 'base64url'));
      const point = ecdh.getPublicKey();
      const size = (point.length - 1) / 2;
      expect(point.subarray(1, 1 + size).toString('base64url')).toBe(x);
      expect(point.subarray(1 + size).toString('base64url')).toBe(y);
    },
  );

  it('RFC 8037 Appendix A.1: the Ed25519 public key derives from the secret key alone', () => {
    const seed = Buffer.from(rfc8037A4.key.d as string, 'base64url');
    expect(seed.toString('hex')).toBe(rfc8037A4.secretKeyHex);
    expect(Buffer.from(rfc8037A4.key.x as string, 'base64url').toString('hex')).toBe(rfc8037A4.publicKeyHex);
    // PKCS#8 for Ed25519 (RFC 8410): a fixed prefix followed by the 32-byte seed.
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    const derived = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
    expect((derived.export({ format: 'jwk' }) as Jwk).x).toBe(rfc8037A4.key.x);
  });

  it.each([rfc7515A2, rfc7520S41].map((vector) => [vector.source, vector] as const))(
    '%s: exportPublicJwk gives back the published n and e',
    (_source, vector) => {
      const jwk = exportPublicJwk(keyFor(vector));
      expect(jwk.n).toBe(vector.key.n);
      expect(jwk.e).toBe(vector.key.e);
    },
  );
});

describe('RFC 7638 Section 3.1 and RFC 8037 Appendix A.3: JWK thumbprints', () => {
  it('RFC 7638 Section 3.1: the canonical JSON hashes to the published thumbprint', () => {
    expect(computeJwkThumbprint(rfc7638.key)).toBe(rfc7638.thumbprint);
    expect(JSON.stringify({ e: rfc7638.key.e, kty: rfc7638.key.kty, n: rfc7638.key.n })).toBe(rfc7638.canonicalJson);
  });

  it('RFC 7638 Section 3.1: members outside the required set do not change the thumbprint', () => {
    const { kid: _kid, alg: _alg, ...bare } = rfc7638.key;
    expect(computeJwkThumbprint(bare)).toBe(rfc7638.thumbprint);
    expect(computeJwkThumbprint({ ...bare, use: 'sig', key_ops: ['verify'] })).toBe(rfc7638.thumbprint);
    expect(computeJwkThumbprint({ ...bare, n: flipBit(bare.n as string) })).not.toBe(rfc7638.thumbprint);
  });

  it('RFC 7638 Section 3.1: importKey without a kid names the key by its thumbprint', () => {
    const { kid: _kid, ...withoutKid } = rfc7638.key;
    const key = importKey({ jwk: withoutKid, alg: 'RS256' });
    expect(key.kid).toBe(rfc7638.thumbprint);
    expect(key.signingKey).toBeUndefined();
  });

  it('RFC 7638 Section 3.1: the JWK\'s own kid, then an explicit kid, take precedence over the thumbprint', () => {
    expect(importKey({ jwk: rfc7638.key, alg: 'RS256' }).kid).toBe('2011-04-29');
    expect(importKey({ jwk: rfc7638.key, alg: 'RS256', kid: 'explicit' }).kid).toBe('explicit');
  });

  it('RFC 7638 Section 3.1: exportPublicJwk of the imported key is the published JWK plus "use"', () => {
    expect(exportPublicJwk(importKey({ jwk: rfc7638.key, alg: 'RS256' }))).toEqual({ ...rfc7638.key, use: 'sig' });
  });

  it('RFC 8037 Appendix A.3: the Ed25519 public key has the published thumbprint', () => {
    const publicJwk = { kty: 'OKP', crv: 'Ed25519', x: rfc8037A4.key.x };
    expect(computeJwkThumbprint(publicJwk)).toBe(rfc8037A4.publicKeyThumbprint);
    expect(Buffer.from(rfc8037A4.publicKeyThumbprint, 'base64url').toString('hex')).toBe(
      rfc8037A4.publicKeyThumbprintHex,
    );
  });

  it('RFC 8037 Appendix A.3: a private Ed25519 key imported without a kid is named by its public thumbprint', () => {
    const key = importKey({ jwk: rfc8037A4.key, alg: 'EdDSA' });
    expect(key.kid).toBe(rfc8037A4.publicKeyThumbprint);
    expect(computeJwkThumbprint(rfc8037A4.key)).toBe(rfc8037A4.publicKeyThumbprint);
  });
});

describe('private members never leave through exportPublicJwk or buildJwks', () => {
  const asymmetric = JWS_VECTORS.filter((vector) => vector.key.kty !== 'oct');
  const symmetric = JWS_VECTORS.filter((vector) => vector.key.kty === 'oct');

  it('the asymmetric vector keys are private keys with private members to leak', () => {
    expect(asymmetric.length).toBeGreaterThanOrEqual(6);
    for (const vector of asymmetric) expect(typeof vector.key.d).toBe('string');
  });

  it.each(asymmetric.map((vector) => [vector.source, vector] as const))(
    '%s: exportPublicJwk has only public members',
    (_source, vector) => {
      const jwk = exportPublicJwk(keyFor(vector));
      for (const name of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(name);
      const serialized = JSON.stringify(jwk);
      for (const name of PRIVATE_MEMBERS) {
        const secret = vector.key[name];
        if (typeof secret === 'string') expect(serialized).not.toContain(secret);
      }
      expect(jwk).toMatchObject({ kty: vector.key.kty, alg: vector.alg, use: 'sig' });
    },
  );

  it('buildJwks and KeyRing.jwks publish the asymmetric keys without private members and skip HMAC secrets', () => {
    const keys = JWS_VECTORS.map((vector) => importKey({ jwk: vector.key, alg: vector.alg, kid: vector.source }));
    const jwks = buildJwks(keys);
    expect(jwks.keys.map((jwk) => jwk.kid)).toEqual(asymmetric.map((vector) => vector.source));
    for (const jwk of jwks.keys) {
      for (const name of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(name);
    }
    const serialized = JSON.stringify(jwks);
    for (const vector of JWS_VECTORS) {
      for (const name of PRIVATE_MEMBERS) {
        const secret = vector.key[name];
        if (typeof secret === 'string') expect(serialized).not.toContain(secret);
      }
    }
    expect(new KeyRing(keys).jwks()).toEqual(jwks);
    expect(symmetric.length).toBe(2);
  });

  it('an HMAC key has no public form', () => {
    expect(() => exportPublicJwk(keyFor(rfc7515A1))).toThrow(TypeError);
  });
});
