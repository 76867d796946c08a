/**
 * The median of the samples: robust against the one round a GC pause or a noisy neighbour spoiled,
 * which a mean would smear over the result.
 */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median: no samples.');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Spread of the samples relative to their median, (max − min) / median: a quick noise indicator. */
export function relativeSpread(samples: readonly number[]): number {
  if (samples.length === 0) return 0;
  return (Math.max(...samples) - Math.min(...samples)) / median(samples);
}
