import { encodeBase64url, isStrictBase64url } from './base64url.js';
import { TokenError } from './errors.js';
import { checkProtectedHeader } from './jose-header.js';
import type { JwsKey } from './key.js';
import { createSignature } from './signature.js';
import { parseJsonObject } from './strict-json.js';
import { decodeSegmentText } from './jws-verify.js';

/** Header members the signer owns: a caller can never set or override them. */
const RESERVED_HEADER_MEMBERS = ['alg', 'kid', 'crit', 'b64', 'jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];

export function requireSigningKey(key: JwsKey): NonNullable<JwsKey['signingKey']> {
  if (key.signingKey === undefined)
    throw new TypeError(`Key ${key.kid} is a verification-only key and cannot sign.`);
  return key.signingKey;
}

/** Builds a protected header {alg, kid, ...extra}; `alg` and `kid` always come from the key. */
export function buildProtectedHeader(
  key: JwsKey,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const name of RESERVED_HEADER_MEMBERS) {
    if (Object.prototype.hasOwnProperty.call(extra, name)) {
      throw new TypeError(`The header member "${name}" is set by the signer and cannot be passed in.`);
    }
  }
  return { alg: key.alg, kid: key.kid, ...extra };
}

/** Signs `payload` as a JWS in compact serialization with a header built from the key. */
export function signJws(
  payload: Uint8Array | string,
  key: JwsKey,
  extraHeader?: Record<string, unknown>,
): string {
  const headerSegment = encodeBase64url(JSON.stringify(buildProtectedHeader(key, extraHeader)));
  return signSegments(headerSegment, encodeBase64url(payload), key);
}

/**
 * Signs already-encoded segments exactly as given: the way to reproduce published test vectors whose
 * header bytes JSON.stringify would not produce. The header must still name the key's algorithm.
 */
export function signEncodedJws(headerSegment: string, payloadSegment: string, key: JwsKey): string {
  // checkProtectedHeader with only the key's algorithm allowed refuses any other `alg`.
  checkProtectedHeader(
    parseJsonObject(decodeSegmentText(headerSegment, 'header'), 'header'),
    new Set([key.alg]),
  );
  if (!isStrictBase64url(payloadSegment))
    throw new TokenError('token_malformed', 'The payload is not strict base64url.');
  return signSegments(headerSegment, payloadSegment, key);
}

/** The hot path: both segments are trusted output of this module. */
export function signSegments(headerSegment: string, payloadSegment: string, key: JwsKey): string {
  const signingInput = `${headerSegment}.${payloadSegment}`;
  return `${signingInput}.${createSignature(key.spec, requireSigningKey(key), signingInput).toString('base64url')}`;
}
