import { JWS_ALGORITHMS, type JwsAlgorithm } from './algorithms.js';
import { decodeBase64urlRoundTrip, isStrictBase64url } from './base64url.js';
import { TokenError } from './errors.js';
import { checkProtectedHeader, type JoseHeader } from './jose-header.js';
import { asKeyLookup, type JwsKey, type KeyLookup } from './key.js';
import { isJwsAlgorithm } from './algorithms.js';
import { isHmacSegmentValid, isSignatureValid } from './signature.js';
import { isUtf8 } from 'node:buffer';
import { parseJsonObject } from './strict-json.js';

/** Tokens longer than this are refused before any decoding (RFC 8725 §3.1 favours hard bounds). */
export const DEFAULT_MAX_TOKEN_BYTES = 16 * 1024;

export interface JwsVerifyPolicy {
  readonly algorithms: ReadonlySet<JwsAlgorithm>;
  readonly maxTokenBytes: number;
}

export const DEFAULT_JWS_POLICY: JwsVerifyPolicy = Object.freeze({
  algorithms: new Set<JwsAlgorithm>(JWS_ALGORITHMS),
  maxTokenBytes: DEFAULT_MAX_TOKEN_BYTES,
});

export interface VerifiedJwsParts {
  readonly header: JoseHeader;
  /** Still base64url: the caller decodes it, now that the signature is known to cover it. */
  readonly payloadSegment: string;
  readonly key: JwsKey;
}

/**
 * Memo of checked headers by their exact encoded segment. Tokens from one issuer share a handful
 * of headers, so this skips a base64url decode and a JSON parse per verification. Bounded: an
 * attacker sending random headers only ever cycles it. The last header seen is checked first with a
 * prefix compare, which needs neither a slice nor a hash of the segment.
 */
export class HeaderMemo {
  private readonly entries = new Map<string, JoseHeader>();
  private lastSegment = '';
  private lastHeader: JoseHeader | undefined;
  constructor(private readonly maxEntries = 64) {}

  /** The checked header of the token whose header segment ends at `dot`, if memoised. */
  lookup(token: string, dot: number): JoseHeader | undefined {
    if (
      this.lastHeader !== undefined &&
      dot === this.lastSegment.length &&
      token.startsWith(this.lastSegment)
    ) {
      return this.lastHeader;
    }
    const segment = token.slice(0, dot);
    const header = this.entries.get(segment);
    if (header !== undefined) {
      this.lastSegment = segment;
      this.lastHeader = header;
    }
    return header;
  }

  get(segment: string): JoseHeader | undefined {
    return this.entries.get(segment);
  }

  set(segment: string, header: JoseHeader): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(segment, header);
    this.lastSegment = segment;
    this.lastHeader = header;
  }
}

/** Decodes strict base64url to text, refusing invalid UTF-8 rather than replacing it. */
export function decodeSegmentText(segment: string, what: string): string {
  if (!isStrictBase64url(segment))
    throw new TokenError('token_malformed', `The ${what} is not strict base64url.`);
  return decodeCheckedSegmentText(segment, what);
}

/** The same for a segment already checked to be strict base64url (the verifier checks before the signature). */
export function decodeCheckedSegmentText(segment: string, what: string): string {
  const bytes = Buffer.from(segment, 'base64url');
  if (!isUtf8(bytes)) throw new TokenError('token_malformed', `The ${what} is not valid UTF-8.`);
  return bytes.toString('utf8');
}

/**
 * Verifies a JWS in compact serialization (RFC 7515 §7.1), in a fixed order: size, shape, header,
 * key lookup, `alg` = key's `alg`, then the signature. The payload is not decoded here, so nothing
 * reads claims before the signature holds.
 */
export function verifyCompactJws(
  token: unknown,
  keys: KeyLookup,
  policy: JwsVerifyPolicy,
  memo?: HeaderMemo,
): VerifiedJwsParts {
  if (typeof token !== 'string') throw new TokenError('token_malformed', 'The token is not a string.');
  if (token.length > policy.maxTokenBytes) throw new TokenError('token_too_large', 'The token is too large.');
  const firstDot = token.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot < 0 || token.indexOf('.', secondDot + 1) !== -1) {
    throw new TokenError('token_malformed', 'The token is not a JWS in compact serialization (three parts).');
  }
  let header = memo?.lookup(token, firstDot);
  if (header === undefined) {
    const headerSegment = token.slice(0, firstDot);
    if (headerSegment.length === 0) throw new TokenError('token_malformed', 'The token header is empty.');
    header = checkProtectedHeader(
      parseJsonObject(decodeSegmentText(headerSegment, 'header'), 'header'),
      policy.algorithms,
    );
    memo?.set(headerSegment, Object.freeze(header));
  }
  const key = keys.findKey(header.kid, header.alg);
  if (key === undefined) throw new TokenError('key_not_found', 'No key matches the token.', { claim: 'kid' });
  if (key.alg !== header.alg) {
    throw new TokenError('token_alg_not_allowed', 'The token algorithm does not match its key.', {
      claim: 'alg',
    });
  }
  if (!isStrictBase64url(token, firstDot + 1, secondDot)) {
    throw new TokenError('token_malformed', 'The payload is not strict base64url.');
  }
  const signingInput = token.slice(0, secondDot);
  const signatureSegment = token.slice(secondDot + 1);
  const valid =
    key.spec.family === 'hmac'
      ? isHmacSegmentValid(key.spec, key.verificationKey, signingInput, signatureSegment)
      : isSignatureValid(
          key.spec,
          key.verificationKey,
          signingInput,
          decodeBase64urlRoundTrip(signatureSegment, 'signature'),
        );
  if (!valid) {
    // Only the failure path pays for telling a mis-encoded signature from a wrong one.
    if (!isStrictBase64url(signatureSegment))
      throw new TokenError('token_malformed', 'The signature is not strict base64url.');
    throw new TokenError('token_signature_invalid', 'The token signature is invalid.');
  }
  return { header, payloadSegment: token.slice(firstDot + 1, secondDot), key };
}

/**
 * Verifies a JWS whose payload is not necessarily a JWT (RFC 7515): returns the verified header and
 * the payload bytes. For tokens, use verifyJwt, which also checks the claims.
 */
export function verifyJws(
  token: unknown,
  keys: KeyLookup | JwsKey,
  options: { algorithms?: readonly JwsAlgorithm[]; maxTokenBytes?: number } = {},
): { header: JoseHeader; payload: Buffer } {
  const algorithms = options.algorithms ?? JWS_ALGORITHMS;
  if (algorithms.length === 0 || !algorithms.every(isJwsAlgorithm))
    throw new TypeError('algorithms must be a non-empty list of JWS algorithms.');
  const policy = {
    algorithms: new Set(algorithms),
    maxTokenBytes: options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES,
  };
  const { header, payloadSegment } = verifyCompactJws(token, asKeyLookup(keys), policy);
  return { header, payload: Buffer.from(payloadSegment, 'base64url') };
}
