/** Number formatting shared by the benchmark reports, so every table reads the same way. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Operations per second, rounded and grouped: 1,234,567. */
export function formatOps(opsPerSec: number): string {
  return integer.format(Math.round(opsPerSec));
}

/**
 * A ratio such as 1.27×; a dash when there is nothing to compare with. `digits` for where the third
 * decimal matters, e.g. next to a threshold: 0.899× fails ">= 0.9×", which 0.90× would hide.
 */
export function formatRatio(ratio: number | undefined, digits = 2): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${ratio.toFixed(ratio >= 10 ? 1 : digits)}×`;
}

/** Milliseconds or seconds, whichever reads better. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
