import type { Operation, OpResult } from './cases.js';

/**
 * The timing loop. Calls run in batches and the clock is read once per batch, so the timer's own
 * cost (~50 ns) does not count against operations that take a few hundred nanoseconds.
 */

export interface Timing {
  readonly ops: number;
  readonly elapsedMs: number;
}

// Every result is folded into this checksum, which run.ts prints at the end: a call whose result is
// never read could in principle be optimised away, one that feeds printed output cannot.
let checksum = 0;

export function readChecksum(): number {
  return checksum;
}

function fold(acc: number, result: OpResult): number {
  return (acc + (typeof result === 'number' ? result : result.length)) | 0;
}

/** Runs whole batches until at least `minMs` have passed (one batch when minMs is 0). */
export function timeSync(run: () => OpResult, batch: number, minMs: number): Timing {
  let acc = 0;
  let ops = 0;
  let elapsedMs: number;
  const start = performance.now();
  do {
    for (let i = 0; i < batch; i++) acc = fold(acc, run());
    ops += batch;
    elapsedMs = performance.now() - start;
  } while (elapsedMs < minMs);
  checksum = (checksum + acc) | 0;
  return { ops, elapsedMs };
}

/** The async twin: each call is awaited before the next starts, the way a request handler uses it. */
export async function timeAsync(run: () => Promise<OpResult>, batch: number, minMs: number): Promise<Timing> {
  let acc = 0;
  let ops = 0;
  let elapsedMs: number;
  const start = performance.now();
  do {
    for (let i = 0; i < batch; i++) acc = fold(acc, await run());
    ops += batch;
    elapsedMs = performance.now() - start;
  } while (elapsedMs < minMs);
  checksum = (checksum + acc) | 0;
  return { ops, elapsedMs };
}

export function time(operation: Operation, batch: number, minMs: number): Timing | Promise<Timing> {
  return operation.mode === 'sync'
    ? timeSync(operation.run, batch, minMs)
    : timeAsync(operation.run, batch, minMs);
}

/**
 * Finds a batch size that takes about `batchMs`: small enough that a round overshoots its duration
 * by little, large enough that the clock is read rarely. Grows 4× at a time from a single call, so
 * a 2 ms RSA signature settles at once and a 100 ns cache hit in a few steps.
 */
export async function calibrateBatch(operation: Operation, batchMs: number): Promise<number> {
  let batch = 1;
  for (;;) {
    const { ops, elapsedMs } = await time(operation, batch, 0);
    if (elapsedMs >= batchMs / 4 || batch >= 1 << 22) return batchFor(ops / elapsedMs, batchMs);
    batch *= 4;
  }
}

/** The batch that takes about `batchMs` at `opsPerMs`. */
export function batchFor(opsPerMs: number, batchMs: number): number {
  return Math.max(1, Math.round(opsPerMs * batchMs));
}
