import { formatOps, formatRatio } from '../lib/format.js';
import type { ImplName, Op } from './cases.js';
import { BENCH_ALGS, type BenchAlg } from './fixtures.js';

/** Looks a median up; undefined when that row was not measured (filtered run, or no such API). */
export type ResultLookup = (alg: BenchAlg, op: Op, impl: ImplName) => number | undefined;

export interface TargetCheck {
  readonly label: string;
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
  readonly detail: string;
}

/** The performance targets of the token core. Informational: a FAIL is reported, not fatal. */
export function evaluateTargets(lookup: ResultLookup): TargetCheck[] {
  const checks: TargetCheck[] = [];
  // The JWT overhead above HMAC is all parsing and checking, so this is where a lean core shows.
  checks.push(relative(lookup, 'HS256', 'verify', 'fast-jwt', 1.3));
  // For the asymmetric algorithms the primitive dominates: Tessera's own work must stay under 10%.
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const) {
    for (const op of ['sign', 'verify'] as const) checks.push(relative(lookup, alg, op, 'node:crypto', 0.9));
  }
  for (const alg of BENCH_ALGS) {
    const ops = lookup(alg, 'verify', 'tessera-cached');
    checks.push({
      label: `${alg} verify: tessera-cached >= 400,000 ops/s`,
      status: ops === undefined ? 'SKIP' : ops >= 400_000 ? 'PASS' : 'FAIL',
      detail: ops === undefined ? 'not measured' : `${formatOps(ops)} ops/s`,
    });
  }
  return checks;
}

function relative(
  lookup: ResultLookup,
  alg: BenchAlg,
  op: Op,
  baseline: ImplName,
  minRatio: number,
): TargetCheck {
  const label = `${alg} ${op}: tessera >= ${minRatio}× ${baseline}`;
  const ours = lookup(alg, op, 'tessera');
  const theirs = lookup(alg, op, baseline);
  if (ours === undefined || theirs === undefined) return { label, status: 'SKIP', detail: 'not measured' };
  const ratio = ours / theirs;
  return {
    label,
    status: ratio >= minRatio ? 'PASS' : 'FAIL',
    detail: `${formatRatio(ratio, 3)} (${formatOps(ours)} vs ${formatOps(theirs)} ops/s)`,
  };
}
