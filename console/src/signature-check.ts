import { base64UrlToBytes, type JwtParts } from './jwt-parts.js';

/** WebCrypto parameters of one JWS `alg`: how to import its public key and how to verify with it. */
interface AlgorithmParams {
  importParams: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams;
  verifyParams: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  /** For the wrong key: generates a fresh pair of the same kind. */
  generateParams: AlgorithmIdentifier | RsaHashedKeyGenParams | EcKeyGenParams;
}

const RSA_KEY_GEN = { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };

function ecdsa(curve: string, hash: string): AlgorithmParams {
  return {
    importParams: { name: 'ECDSA', namedCurve: curve },
    verifyParams: { name: 'ECDSA', hash },
    generateParams: { name: 'ECDSA', namedCurve: curve },
  };
}

function rsa(name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS', hash: string, saltLength: number): AlgorithmParams {
  return {
    importParams: { name, hash },
    verifyParams: name === 'RSA-PSS' ? { name, saltLength } : { name },
    generateParams: { name, hash, ...RSA_KEY_GEN },
  };
}

/** Every asymmetric `alg` Tessera signs with. HS* is absent on purpose: a shared secret is never public. */
const ALGORITHMS: Readonly<Record<string, AlgorithmParams>> = {
  ES256: ecdsa('P-256', 'SHA-256'),
  ES384: ecdsa('P-384', 'SHA-384'),
  ES512: ecdsa('P-521', 'SHA-512'),
  RS256: rsa('RSASSA-PKCS1-v1_5', 'SHA-256', 0),
  RS384: rsa('RSASSA-PKCS1-v1_5', 'SHA-384', 0),
  RS512: rsa('RSASSA-PKCS1-v1_5', 'SHA-512', 0),
  PS256: rsa('RSA-PSS', 'SHA-256', 32),
  PS384: rsa('RSA-PSS', 'SHA-384', 48),
  PS512: rsa('RSA-PSS', 'SHA-512', 64),
  EdDSA: {
    importParams: { name: 'Ed25519' },
    verifyParams: { name: 'Ed25519' },
    generateParams: { name: 'Ed25519' },
  },
};

export interface VerifyOutcome {
  valid: boolean;
  /** One sentence for the page. */
  summary: string;
}

type Jwk = JsonWebKey & { kid?: string; alg?: string };

/** The public members only: a JWKS entry's `use`/`key_ops` could clash with WebCrypto's checks. */
function publicMembers(jwk: Jwk): JsonWebKey {
  const { kty, crv, x, y, n, e } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined));
}

function signingInput(parts: JwtParts): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${parts.segments[0]}.${parts.segments[1]}`);
}

function signatureBytes(parts: JwtParts): Uint8Array<ArrayBuffer> {
  return new Uint8Array(base64UrlToBytes(parts.segments[2]));
}

async function fetchServerKey(kid: unknown): Promise<Jwk | string> {
  const response = await fetch('/.well-known/jwks.json');
  if (!response.ok) return `GET /.well-known/jwks.json answered ${response.status}.`;
  const jwks = (await response.json()) as { keys?: Jwk[] };
  const key = jwks.keys?.find((candidate) => candidate.kid === kid);
  return key ?? `No key with kid ${JSON.stringify(kid)} in the server's JWKS.`;
}

/**
 * Verifies the token's signature with the server's public key from its JWKS. As on the server, the
 * key decides the algorithm: the JWK's `alg` is used, and a header naming another one is refused.
 */
export async function verifyWithServerKey(parts: JwtParts): Promise<VerifyOutcome> {
  const headerAlg = parts.header.alg;
  if (typeof headerAlg === 'string' && headerAlg.startsWith('HS')) {
    return {
      valid: false,
      summary: `${headerAlg} is an HMAC: there is no public key, only the server's secret can verify it.`,
    };
  }
  const jwk = await fetchServerKey(parts.header.kid);
  if (typeof jwk === 'string') return { valid: false, summary: jwk };
  const alg = jwk.alg ?? headerAlg;
  if (alg !== headerAlg)
    return {
      valid: false,
      summary: `The key is for ${String(alg)}, the header says ${String(headerAlg)}: refused.`,
    };
  const params = typeof alg === 'string' ? ALGORITHMS[alg] : undefined;
  if (params === undefined)
    return { valid: false, summary: `${String(alg)} cannot be verified with WebCrypto here.` };
  try {
    const key = await crypto.subtle.importKey('jwk', publicMembers(jwk), params.importParams, false, [
      'verify',
    ]);
    const valid = await crypto.subtle.verify(
      params.verifyParams,
      key,
      signatureBytes(parts),
      signingInput(parts),
    );
    return {
      valid,
      summary: valid
        ? `Signature VALID with the server's ${alg} public key (kid ${String(jwk.kid)}).`
        : `Signature INVALID with the server's ${alg} public key: the token was altered or signed by someone else.`,
    };
  } catch (error) {
    return { valid: false, summary: `This browser cannot verify ${alg}: ${(error as Error).message}` };
  }
}

/** Verifies with a freshly generated key of the same kind: this must always fail. */
export async function verifyWithWrongKey(parts: JwtParts): Promise<VerifyOutcome> {
  const alg = parts.header.alg;
  const params = typeof alg === 'string' ? ALGORITHMS[alg] : undefined;
  if (params === undefined) return { valid: false, summary: `No public-key algorithm for ${String(alg)}.` };
  try {
    const pair = (await crypto.subtle.generateKey(params.generateParams, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const valid = await crypto.subtle.verify(
      params.verifyParams,
      pair.publicKey,
      signatureBytes(parts),
      signingInput(parts),
    );
    return {
      valid,
      summary: valid
        ? 'Signature unexpectedly VALID with a random key: something is very wrong.'
        : `Signature INVALID with a freshly generated ${alg} key, as it must be: only the server's key verifies it.`,
    };
  } catch (error) {
    return {
      valid: false,
      summary: `This browser cannot generate a ${alg} key: ${(error as Error).message}`,
    };
  }
}
