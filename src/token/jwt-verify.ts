import { currentNumericDate, toNumericDate } from '../platform/clock.js';
import { isJwsAlgorithm, JWS_ALGORITHMS, type JwsAlgorithm } from './algorithms.js';
import {
  checkClaims,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
  type ClaimsPolicy,
  type JwtClaims,
} from './claims.js';
import { normalizeMediaType, type JoseHeader } from './jose-header.js';
import { asKeyLookup, type JwsKey, type KeyLookup } from './key.js';
import {
  decodeCheckedSegmentText,
  DEFAULT_MAX_TOKEN_BYTES,
  HeaderMemo,
  verifyCompactJws,
  type JwsVerifyPolicy,
} from './jws-verify.js';
import { parseJsonObject } from './strict-json.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export interface VerifyJwtOptions {
  /** Allowlist of algorithms; default: every supported one (each key still accepts only its own). */
  algorithms?: readonly JwsAlgorithm[];
  issuer?: string | readonly string[];
  audience?: string | readonly string[];
  /** Expected header `typ` (e.g. "at+jwt"); compared case-insensitively, "application/" optional. */
  typ?: string;
  /** Allowed clock skew, 0 to 300 seconds; default 30. */
  clockToleranceSeconds?: number;
  /** Refuse tokens whose `iat` is older than this (requires `iat`). */
  maxTokenAgeSeconds?: number;
  /** Claims that must be present, in addition to `exp`, which always is. */
  requiredClaims?: readonly string[];
  /** Refuse longer tokens before decoding anything; default 16 KiB. */
  maxTokenBytes?: number;
  /** The time to verify at; default: the system clock. */
  now?: Date;
}

export interface VerifiedJwt<C extends object = Record<string, unknown>> {
  readonly header: JoseHeader;
  readonly payload: Readonly<JwtClaims & C>;
}

export interface JwtVerifierOptions extends Omit<VerifyJwtOptions, 'now'> {
  /** Cache of fully verified tokens; off unless given. */
  cache?: { maxEntries?: number; ttlSeconds?: number };
}

export interface JwtVerifier {
  verify<C extends object = Record<string, unknown>>(token: unknown, now?: Date): VerifiedJwt<C>;
  /** Drops every cached verification (also happens by itself whenever the keys change). */
  clearCache(): void;
}

/** Verifies a JWT once. For repeated verification build a verifier with createJwtVerifier. */
export function verifyJwt<C extends object = Record<string, unknown>>(
  token: unknown,
  keys: KeyLookup | JwsKey,
  options: VerifyJwtOptions = {},
): VerifiedJwt<C> {
  const { jws, claims } = normalizeOptions(options);
  return verifyUncached<C>(token, asKeyLookup(keys), jws, claims, nowSeconds(options.now), undefined);
}

/**
 * Builds a verifier with its options checked once, a memo of checked headers and, if asked, a cache
 * of verified tokens that makes repeated verification of the same token nearly free.
 */
export function createJwtVerifier(keys: KeyLookup | JwsKey, options: JwtVerifierOptions = {}): JwtVerifier {
  const lookup = asKeyLookup(keys);
  const { jws, claims } = normalizeOptions(options);
  const memo = new HeaderMemo();
  const cache = options.cache ? new VerifiedTokenCache(options.cache.maxEntries ?? 10_000) : undefined;
  const cacheTtlSeconds = options.cache?.ttlSeconds ?? 300;
  if (!(cacheTtlSeconds > 0)) throw new TypeError('cache.ttlSeconds must be a positive number.');

  return {
    verify<C extends object>(token: unknown, now?: Date): VerifiedJwt<C> {
      const at = nowSeconds(now);
      if (cache === undefined || typeof token !== 'string') {
        return verifyUncached<C>(token, lookup, jws, claims, at, memo);
      }
      const hit = cache.get(token, at, lookup.version);
      if (hit !== undefined) return hit.result as VerifiedJwt<C>;
      const verified = verifyUncached<C>(token, lookup, jws, claims, at, memo);
      const { exp, nbf, iat } = verified.payload;
      const tolerance = claims.clockToleranceSeconds;
      let validUntil = Math.min(exp, at + cacheTtlSeconds);
      if (claims.maxTokenAgeSeconds !== undefined)
        validUntil = Math.min(validUntil, iat! + claims.maxTokenAgeSeconds);
      const validFrom = Math.max(nbf ?? -Infinity, iat ?? -Infinity) - tolerance;
      cache.set(token, { result: verified, validFrom, validUntil, keysVersion: lookup.version });
      return verified;
    },
    clearCache: () => cache?.clear(),
  };
}

function verifyUncached<C extends object>(
  token: unknown,
  keys: KeyLookup,
  jws: JwsVerifyPolicy,
  claims: ClaimsPolicy,
  now: number,
  memo: HeaderMemo | undefined,
): VerifiedJwt<C> {
  const { header, payloadSegment } = verifyCompactJws(token, keys, jws, memo);
  // Only now, with the signature verified, is the payload decoded and read.
  const payload = parseJsonObject(decodeCheckedSegmentText(payloadSegment, 'payload'), 'payload');
  checkClaims(payload, header, claims, now);
  return { header, payload: payload as JwtClaims & C }; // parseJsonObject froze it
}

function nowSeconds(now: Date | undefined): number {
  return now === undefined ? currentNumericDate() : toNumericDate(now);
}

function normalizeOptions(options: VerifyJwtOptions): { jws: JwsVerifyPolicy; claims: ClaimsPolicy } {
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw new TypeError(`clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}.`);
  }
  const algorithms = options.algorithms ?? JWS_ALGORITHMS;
  if (algorithms.length === 0 || !algorithms.every(isJwsAlgorithm)) {
    throw new TypeError(`algorithms must be a non-empty list drawn from ${JWS_ALGORITHMS.join(', ')}.`);
  }
  const maxTokenBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  if (!Number.isInteger(maxTokenBytes) || maxTokenBytes < 64)
    throw new TypeError('maxTokenBytes must be an integer >= 64.');
  const maxAge = options.maxTokenAgeSeconds;
  if (maxAge !== undefined && !(Number.isFinite(maxAge) && maxAge > 0)) {
    throw new TypeError('maxTokenAgeSeconds must be a positive number.');
  }
  return {
    jws: { algorithms: new Set(algorithms), maxTokenBytes },
    claims: {
      issuer: toList(options.issuer, 'issuer'),
      audience: toList(options.audience, 'audience'),
      typ: options.typ === undefined ? undefined : normalizeMediaType(options.typ),
      clockToleranceSeconds: tolerance,
      maxTokenAgeSeconds: maxAge,
      requiredClaims: [...(options.requiredClaims ?? [])],
    },
  };
}

function toList(value: string | readonly string[] | undefined, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : [...value];
  if (list.length === 0 || !list.every((item) => typeof item === 'string' && item.length > 0)) {
    throw new TypeError(`${name} must be a non-empty string or a non-empty list of them.`);
  }
  return list;
}
