import { formatOps, formatRatio } from '../lib/format.js';
import { relativeSpread } from '../lib/stats.js';
import { renderTable } from '../lib/table.js';
import type { ImplName, Op } from './cases.js';
import type { BenchAlg } from './fixtures.js';
import type { ResultLookup } from './targets.js';

/** One reported row: the median ops/s of one implementation doing one operation with one algorithm. */
export interface TokenResult {
  readonly alg: BenchAlg;
  readonly op: Op;
  readonly impl: ImplName;
  readonly opsPerSec: number;
  readonly samples: readonly number[];
}

export function lookupIn(results: readonly TokenResult[]): ResultLookup {
  const byKey = new Map(results.map((r) => [`${r.alg} ${r.op} ${r.impl}`, r.opsPerSec]));
  return (alg, op, impl) => byKey.get(`${alg} ${op} ${impl}`);
}

export interface Ratios {
  /** ops/s over node:crypto's for the same alg and op: how close to the primitive's limit. */
  readonly vsNodeCrypto?: number;
  /** ops/s over fast-jwt's (cache off) for the same alg and op. */
  readonly vsFastJwt?: number;
}

export function ratiosOf(result: TokenResult, lookup: ResultLookup): Ratios {
  const node = lookup(result.alg, result.op, 'node:crypto');
  const fast = lookup(result.alg, result.op, 'fast-jwt');
  return {
    ...(node === undefined ? {} : { vsNodeCrypto: result.opsPerSec / node }),
    ...(fast === undefined ? {} : { vsFastJwt: result.opsPerSec / fast }),
  };
}

export function renderResultsTable(results: readonly TokenResult[]): string {
  const lookup = lookupIn(results);
  const rows = results.map((result) => ({ ...result, ...ratiosOf(result, lookup) }));
  return renderTable(
    rows,
    [
      { header: 'alg', value: (r) => r.alg },
      { header: 'op', value: (r) => r.op },
      { header: 'impl', value: (r) => r.impl },
      { header: 'ops/s', align: 'right', value: (r) => formatOps(r.opsPerSec) },
      { header: '× node:crypto', align: 'right', value: (r) => formatRatio(r.vsNodeCrypto) },
      { header: '× fast-jwt', align: 'right', value: (r) => formatRatio(r.vsFastJwt) },
      // Not asked for, but it says how far to trust a row: (max − min) / median over the rounds.
      { header: 'spread', align: 'right', value: (r) => `${Math.round(relativeSpread(r.samples) * 100)}%` },
    ],
    (r) => `${r.alg} ${r.op}`,
  );
}

/**
 * bench/results/token.json: the agreed shape ({ node, results: [{ alg, op, impl, opsPerSec }] }),
 * plus `quick` and a `ratios` map keyed "alg op impl", so later runs can be compared by a script.
 */
export function resultsDocument(results: readonly TokenResult[], quick: boolean): unknown {
  const lookup = lookupIn(results);
  return {
    node: process.version,
    quick,
    results: results.map(({ alg, op, impl, opsPerSec }) => ({
      alg,
      op,
      impl,
      opsPerSec: Math.round(opsPerSec),
    })),
    ratios: Object.fromEntries(
      results.map((result) => {
        const { vsNodeCrypto, vsFastJwt } = ratiosOf(result, lookup);
        const round = (ratio: number | undefined): number | undefined =>
          ratio === undefined ? undefined : Math.round(ratio * 1000) / 1000;
        return [
          `${result.alg} ${result.op} ${result.impl}`,
          { vsNodeCrypto: round(vsNodeCrypto), vsFastJwt: round(vsFastJwt) },
        ];
      }),
    ),
  };
}
