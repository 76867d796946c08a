import { formatOps, formatRatio } from '../lib/format.js';
import { relativeSpread } from '../lib/stats.js';
import { renderTable } from '../lib/table.js';
import type { Measured } from '../token/rounds.js';
import type { VerifyContender } from './contender.js';
import { PEER } from './contenders.js';
import type { MachineInfo } from './machine.js';
import { MIDDLEWARE_PEER } from './middleware-kinds.js';
import type { MiddlewareMeasured } from './middleware.js';

/** One printed and saved row: a verifier (ops/s) or a Fastify app under load (req/s). */
export interface VerifyBenchRow {
  readonly group: 'verify' | 'middleware';
  readonly name: string;
  readonly label: string;
  /** The median over the rounds: verifications/s, or requests/s for the middleware rows. */
  readonly rate: number;
  readonly unit: 'ops/s' | 'req/s';
  /** Verify rows: rate over jose with createRemoteJWKSet (the main peer). */
  readonly vsJoseRemote?: number;
  /** Middleware rows: rate over the same app with @fastify/jwt. */
  readonly vsFastifyJwt?: number;
  readonly p99Ms?: number;
  /** The rate of each round, in round order. */
  readonly samples: readonly number[];
}

export function buildRows(
  verify: readonly Measured<VerifyContender>[],
  middleware: readonly MiddlewareMeasured[],
): VerifyBenchRow[] {
  const joseRemote = verify.find((m) => m.subject.name === PEER)?.opsPerSec;
  const fastifyJwt = middleware.find((m) => m.kind === MIDDLEWARE_PEER)?.reqPerSec;
  return [
    ...verify.map(({ subject, opsPerSec, samples }) => ({
      group: 'verify' as const,
      name: subject.name,
      label: subject.label,
      rate: opsPerSec,
      unit: 'ops/s' as const,
      ...(joseRemote === undefined ? {} : { vsJoseRemote: opsPerSec / joseRemote }),
      samples,
    })),
    ...middleware.map(({ kind, label, reqPerSec, p99Ms, samples }) => ({
      group: 'middleware' as const,
      name: kind,
      label,
      rate: reqPerSec,
      unit: 'req/s' as const,
      ...(fastifyJwt === undefined ? {} : { vsFastifyJwt: reqPerSec / fastifyJwt }),
      p99Ms,
      samples: samples.map((s) => s.reqPerSec),
    })),
  ];
}

export function renderRowsTable(rows: readonly VerifyBenchRow[]): string {
  return renderTable(
    rows,
    [
      { header: 'row', value: (r) => r.label },
      { header: 'median', align: 'right', value: (r) => formatOps(r.rate) },
      { header: 'unit', value: (r) => r.unit },
      { header: '× jose remote', align: 'right', value: (r) => formatRatio(r.vsJoseRemote) },
      { header: '× @fastify/jwt', align: 'right', value: (r) => formatRatio(r.vsFastifyJwt) },
      { header: 'p99 ms', align: 'right', value: (r) => (r.p99Ms === undefined ? '' : String(r.p99Ms)) },
      // (max − min) / median over the rounds: how far to trust a row.
      { header: 'spread', align: 'right', value: (r) => `${Math.round(relativeSpread(r.samples) * 100)}%` },
    ],
    (r) => r.group,
  );
}

export interface RunContext {
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly startedAt: Date;
  readonly load: { readonly start: number; readonly end: number };
  readonly settings: unknown;
  readonly jwksFetches: number;
  readonly notes: readonly string[];
}

/** bench/results/verify.json: the run's context plus every row, rounded for readable diffs. */
export function resultsDocument(rows: readonly VerifyBenchRow[], context: RunContext): unknown {
  const round3 = (ratio: number | undefined) =>
    ratio === undefined ? undefined : Math.round(ratio * 1000) / 1000;
  return {
    benchmark: 'verify',
    date: context.startedAt.toISOString(),
    node: context.machine.node,
    quick: context.quick,
    machine: context.machine,
    loadAverage: context.load,
    settings: context.settings,
    jwksFetches: context.jwksFetches,
    notes: context.notes,
    rows: rows.map((row) => ({
      group: row.group,
      name: row.name,
      label: row.label,
      [row.unit === 'ops/s' ? 'opsPerSec' : 'reqPerSec']: Math.round(row.rate),
      vsJoseRemote: round3(row.vsJoseRemote),
      vsFastifyJwt: round3(row.vsFastifyJwt),
      p99Ms: row.p99Ms,
      samples: row.samples.map((s) => Math.round(s)),
    })),
  };
}
