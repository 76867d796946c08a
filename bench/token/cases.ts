import type { BenchAlg } from './fixtures.js';

export type Op = 'sign' | 'verify';

/** Display and report order: Tessera first, then the limit, then the other libraries. */
export const IMPLS = [
  'tessera',
  'tessera-cached',
  'node:crypto',
  'fast-jwt',
  'fast-jwt-cached',
  'jose',
  'jsonwebtoken',
] as const;
export type ImplName = (typeof IMPLS)[number];

/** What one operation returns; the timing loop folds it into a checksum so no call is optimised away. */
export type OpResult = string | number | Uint8Array;

/** Sync APIs run in a tight loop; async ones (jose) are awaited one by one, as a caller would. */
export type Operation =
  | { readonly mode: 'sync'; readonly run: () => OpResult }
  | { readonly mode: 'async'; readonly run: () => Promise<OpResult> };

export interface BenchCase {
  readonly alg: BenchAlg;
  readonly op: Op;
  readonly impl: ImplName;
  readonly operation: Operation;
  /**
   * Runs once before anything is timed and throws unless the operation does its job: a verifier must
   * accept the token (and refuse a tampered one), a signer must produce a token that verifies.
   */
  readonly check: () => Promise<void>;
}
