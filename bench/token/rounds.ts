import { median } from '../lib/stats.js';
import type { Operation } from './cases.js';
import { batchFor, calibrateBatch, time } from './measure.js';

export interface RoundsOptions {
  /** Per case, before round one: lets the JIT optimise and the libraries fill their key caches. */
  readonly warmupMs: number;
  readonly rounds: number;
  /** Per case and round. */
  readonly roundMs: number;
  /** Target duration of one batch between clock reads. */
  readonly batchMs: number;
}

export interface Measured<C> {
  readonly subject: C;
  /** ops/s of each round, in round order. */
  readonly samples: readonly number[];
  /** The median of the samples: what gets reported. */
  readonly opsPerSec: number;
}

/**
 * Measures every subject in interleaved rounds: round r runs each subject once, for roundMs, so
 * slow drift (CPU boost decaying, a neighbour waking up) spreads over all subjects rather than
 * penalising whichever ran last. Each round starts at a different subject so that no one always
 * follows the same predecessor (and its garbage). Reports each subject's median round.
 */
export async function measureInterleaved<C extends { readonly operation: Operation }>(
  subjects: readonly C[],
  options: RoundsOptions,
  progress: (message: string) => void = () => {},
): Promise<Measured<C>[]> {
  const batches: number[] = [];
  for (const [index, subject] of subjects.entries()) {
    progress(`warm-up ${index + 1}/${subjects.length}`);
    const initial = await calibrateBatch(subject.operation, options.batchMs);
    const warm = await time(subject.operation, initial, options.warmupMs);
    batches.push(batchFor(warm.ops / warm.elapsedMs, options.batchMs));
  }

  const samples: number[][] = subjects.map(() => []);
  const stride = Math.max(1, Math.floor(subjects.length / options.rounds));
  for (let round = 0; round < options.rounds; round++) {
    progress(`round ${round + 1}/${options.rounds}`);
    for (let step = 0; step < subjects.length; step++) {
      const index = (step + round * stride) % subjects.length;
      const { ops, elapsedMs } = await time(subjects[index]!.operation, batches[index]!, options.roundMs);
      samples[index]!.push((ops / elapsedMs) * 1000);
    }
  }
  return subjects.map((subject, index) => ({
    subject,
    samples: samples[index]!,
    opsPerSec: median(samples[index]!),
  }));
}
