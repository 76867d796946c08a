/**
 * Shared helpers for the token and key tests: a fixed clock, forged tokens, and assertions on the
 * error code that also check the message leaks nothing it was handed.
 */
import { expect } from 'vitest';
import { KeyError, TokenError } from '../../src/token/errors.js';
import type { KeyErrorCode, TokenErrorCode } from '../../src/errors.js';
import type { JwsKey } from '../../src/token/key.js';
import { createSignature } from '../../src/token/signature.js';

/** The fixed "now" of every token test (never the system clock). */
export const NOW = new Date('2025-01-01T00:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

/** A Date `seconds` away from NOW. */
export function at(seconds: number): Date {
  return new Date(NOW.getTime() + seconds * 1000);
}

export function b64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

/** Encodes a header or payload: objects are JSON.stringified, strings are taken as the exact JSON text. */
export function segment(value: string | object | Uint8Array): string {
  if (value instanceof Uint8Array) return b64url(value);
  return b64url(typeof value === 'string' ? value : JSON.stringify(value));
}

/** Builds a token from any header and payload and signs it with the key's own primitive, whatever the header says. */
export function signRaw(
  header: string | object | Uint8Array,
  payload: string | object | Uint8Array,
  key: JwsKey,
): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${createSignature(key.spec, key.signingKey!, input).toString('base64url')}`;
}

/** Builds a token with an arbitrary signature function (attacker-side forging). */
export function forge(
  header: string | object,
  payload: string | object,
  sign: (signingInput: string) => Uint8Array | string,
): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const signature = sign(input);
  return `${input}.${typeof signature === 'string' ? signature : b64url(signature)}`;
}

/** Calls fn and returns what it threw; fails the test if it returned normally. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}

export interface LeakCheck {
  /** Strings that must not appear in the error message (tokens, kids, secrets, claim values). */
  notInMessage?: readonly string[];
  /** The `claim` the TokenError must name. */
  claim?: string;
}

export function expectTokenError(fn: () => unknown, code: TokenErrorCode, check: LeakCheck = {}): TokenError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(TokenError);
  const tokenError = error as TokenError;
  expect(tokenError.code).toBe(code);
  expect(tokenError.name).toBe('TokenError');
  if (check.claim !== undefined) expect(tokenError.claim).toBe(check.claim);
  for (const secret of check.notInMessage ?? []) {
    if (secret.length > 0) expect(tokenError.message).not.toContain(secret);
  }
  return tokenError;
}

export function expectKeyError(fn: () => unknown, check: LeakCheck = {}): KeyError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(KeyError);
  const keyError = error as KeyError;
  const code: KeyErrorCode = 'key_invalid';
  expect(keyError.code).toBe(code);
  for (const secret of check.notInMessage ?? []) {
    if (secret.length > 0) expect(keyError.message).not.toContain(secret);
  }
  return keyError;
}

/** Every part of a token that must never be echoed by an error message. */
export function tokenParts(token: string): string[] {
  return [token, ...token.split('.').filter((part) => part.length >= 8)];
}
