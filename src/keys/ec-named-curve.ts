import { createPublicKey, type KeyObject } from 'node:crypto';
import { KeyError } from '../token/errors.js';

const OBJECT_IDENTIFIER_TAG = 0x06;

/**
 * RFC 5480 §2.1.1: an EC public key names its curve by OID; `implicitCurve` and `specifiedCurve`
 * (explicit field, coefficients and base point) MUST NOT be used. OpenSSL matches explicit parameters
 * to a named curve when it can, so node reports the curve name either way; only the encoding tells.
 * Checked on the public half's SubjectPublicKeyInfo, which keeps the encoding the key came with.
 */
export function assertNamedCurveEncoding(key: KeyObject, alg: string): void {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (!namesItsCurve(publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new KeyError(
      `${alg} needs an EC key that names its curve (RFC 5480); explicit curve parameters are refused.`,
    );
  }
}

/**
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE { OID, parameters }, subjectPublicKey }:
 * true when the parameters after id-ecPublicKey are an OBJECT IDENTIFIER (a namedCurve).
 */
function namesItsCurve(spki: Buffer): boolean {
  const info = readHeader(spki, 0);
  const algorithm = readHeader(spki, info.contentStart);
  const algorithmOid = readHeader(spki, algorithm.contentStart);
  return algorithmOid.end < algorithm.end && spki[algorithmOid.end] === OBJECT_IDENTIFIER_TAG;
}

/** A DER tag-length header (node's own output, so definite lengths of at most four bytes). */
function readHeader(der: Buffer, offset: number): { contentStart: number; end: number } {
  const first = der[offset + 1] ?? 0;
  if (first < 0x80) return { contentStart: offset + 2, end: offset + 2 + first };
  const count = first & 0x7f;
  let length = 0;
  for (let index = 0; index < count; index++) length = length * 256 + (der[offset + 2 + index] ?? 0);
  return { contentStart: offset + 2 + count, end: offset + 2 + count + length };
}
