import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { InvalidValue } from './codec.js';

/** One armoured block, label and all (RFC 7468 §2); the END label must repeat the BEGIN label. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The one algorithm a curve allows (RFC 7518 §3.4, RFC 8037 §3.1); RSA keys take TESSERA_ALGORITHM. */
const ALG_FOR_CURVE: Readonly<Record<string, string>> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  Ed25519: 'EdDSA',
};

export function isPem(text: string): boolean {
  return text.trimStart().startsWith('-----BEGIN');
}

/**
 * Private keys in PEM (PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`), one or
 * several blocks, as private JWKs. Curve keys get their one `alg`; the import checks (size, curve,
 * algorithm) then run as for any JWK. Errors name the block by position, never its content.
 */
export function pemPrivateKeysToJwks(text: string): Record<string, unknown>[] {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) throw new InvalidValue('the PEM text holds no complete BEGIN/END block');
  return blocks.map((block, index) => blockToJwk(block[0], block[1]!, index));
}

function blockToJwk(pem: string, label: string, index: number): Record<string, unknown> {
  const where = `PEM block ${index} (${label})`;
  if (!label.endsWith('PRIVATE KEY')) throw new InvalidValue(`${where} is not a private key`);
  if (label.startsWith('ENCRYPTED') || pem.includes('ENCRYPTED')) {
    throw new InvalidValue(
      `${where} is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)`,
    );
  }
  let jwk: JsonWebKey;
  try {
    jwk = createPrivateKey(pem).export({ format: 'jwk' });
  } catch {
    throw new InvalidValue(
      `${where} is not a private key Tessera can use (RSA, EC P-256/384/521 or Ed25519)`,
    );
  }
  const alg = typeof jwk.crv === 'string' ? ALG_FOR_CURVE[jwk.crv] : undefined;
  return alg === undefined ? { ...jwk } : { ...jwk, alg };
}
