import { constants } from 'node:crypto';

/** Every JWS algorithm Tessera signs and verifies. `none` is deliberately not a member. */
export const JWS_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

export type AlgorithmFamily = 'hmac' | 'rsa' | 'rsa-pss' | 'ecdsa' | 'eddsa';

/** Everything known about one `alg` lives in its entry (RFC 7518 §3, RFC 8037 §3.1). */
export interface AlgorithmSpec {
  readonly alg: JwsAlgorithm;
  readonly family: AlgorithmFamily;
  /** node:crypto digest name; null for EdDSA, which hashes internally. */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** HMAC: the minimum secret length, equal to the hash output (RFC 7518 §3.2). */
  readonly minSecretBytes?: number;
  /** ECDSA / EdDSA: the curve the key must be on (JWK `crv`). */
  readonly curve?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
  /** ECDSA: the byte length of each of r and s in the raw signature (RFC 7518 §3.4). */
  readonly ecComponentBytes?: number;
  /** RSA: extra options for node:crypto sign/verify (padding, salt length). */
  readonly rsaPadding?: { padding: number; saltLength?: number };
}

const RSA_PKCS1 = { padding: constants.RSA_PKCS1_PADDING };
const RSA_PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };

export const ALGORITHMS: Readonly<Record<JwsAlgorithm, AlgorithmSpec>> = Object.freeze({
  HS256: { alg: 'HS256', family: 'hmac', hash: 'sha256', minSecretBytes: 32 },
  HS384: { alg: 'HS384', family: 'hmac', hash: 'sha384', minSecretBytes: 48 },
  HS512: { alg: 'HS512', family: 'hmac', hash: 'sha512', minSecretBytes: 64 },
  RS256: { alg: 'RS256', family: 'rsa', hash: 'sha256', rsaPadding: RSA_PKCS1 },
  RS384: { alg: 'RS384', family: 'rsa', hash: 'sha384', rsaPadding: RSA_PKCS1 },
  RS512: { alg: 'RS512', family: 'rsa', hash: 'sha512', rsaPadding: RSA_PKCS1 },
  PS256: { alg: 'PS256', family: 'rsa-pss', hash: 'sha256', rsaPadding: RSA_PSS },
  PS384: { alg: 'PS384', family: 'rsa-pss', hash: 'sha384', rsaPadding: RSA_PSS },
  PS512: { alg: 'PS512', family: 'rsa-pss', hash: 'sha512', rsaPadding: RSA_PSS },
  ES256: { alg: 'ES256', family: 'ecdsa', hash: 'sha256', curve: 'P-256', ecComponentBytes: 32 },
  ES384: { alg: 'ES384', family: 'ecdsa', hash: 'sha384', curve: 'P-384', ecComponentBytes: 48 },
  ES512: { alg: 'ES512', family: 'ecdsa', hash: 'sha512', curve: 'P-521', ecComponentBytes: 66 },
  EdDSA: { alg: 'EdDSA', family: 'eddsa', hash: null, curve: 'Ed25519' },
});

/** RSA moduli below this are refused (RFC 7518 §3.3 and §3.5: 2048 bits or larger). */
export const MIN_RSA_MODULUS_BITS = 2048;

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ALGORITHMS, value);
}
