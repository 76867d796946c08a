/**
 * npm run bench:token — sign and verify throughput of Tessera's token core next to node:crypto (the
 * limit) and the usual JWT libraries, all in this one process, on the same keys and claims.
 * BENCH_QUICK=1 for a short smoke run; BENCH_ALGS / BENCH_IMPLS (comma lists) to profile one slice
 * (a filtered run does not write the results file).
 */
import { cpus, loadavg } from 'node:os';
import { isQuickRun, listFromEnv } from '../lib/env.js';
import { formatDuration } from '../lib/format.js';
import { writeResultsFile } from '../lib/results-file.js';
import { IMPLS, type BenchCase } from './cases.js';
import { BENCH_ALGS, createFixture } from './fixtures.js';
import { buildCases } from './impls.js';
import { readChecksum } from './measure.js';
import { lookupIn, renderResultsTable, resultsDocument, type TokenResult } from './report.js';
import { measureInterleaved, type RoundsOptions } from './rounds.js';
import { evaluateTargets } from './targets.js';

const FULL: RoundsOptions = { warmupMs: 250, rounds: 5, roundMs: 300, batchMs: 5 };
// Quick: ~80 cases × (60 + 3 × 80) ms ≈ 25 s, comfortably under the one-minute budget.
const QUICK: RoundsOptions = { warmupMs: 60, rounds: 3, roundMs: 80, batchMs: 2 };

async function main(): Promise<void> {
  const started = performance.now();
  const quick = isQuickRun();
  const options = quick ? QUICK : FULL;
  const algs = pick('BENCH_ALGS', BENCH_ALGS);
  const impls = pick('BENCH_IMPLS', IMPLS);
  const filtered = algs.length < BENCH_ALGS.length || impls.length < IMPLS.length;

  console.log(
    `Tessera token benchmark — node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`,
  );
  console.log(
    `${quick ? 'quick' : 'full'} run: warm-up ${options.warmupMs} ms, then ${options.rounds} interleaved rounds of ` +
      `${options.roundMs} ms per case; median ops/s reported.`,
  );

  reportLoad('start');
  console.log();

  const nowSeconds = Math.floor(Date.now() / 1000);
  const cases = algs
    .map((alg) => createFixture(alg, nowSeconds))
    .flatMap(buildCases)
    .filter((c) => impls.includes(c.impl));

  // Nothing is timed until every case has shown that it does its job.
  for (const c of cases) await c.check();

  const measured = await measureInterleaved(cases, options, progressReporter());
  const results: TokenResult[] = measured.map(({ subject, samples, opsPerSec }) => ({
    ...describe(subject),
    samples,
    opsPerSec,
  }));

  console.log(renderResultsTable(results));
  console.log('\nTargets (informational):');
  for (const check of evaluateTargets(lookupIn(results))) {
    console.log(`${check.status}  ${check.label}: ${check.detail}`);
  }

  if (filtered) console.log('\nFiltered run: bench/results/token.json left as it was.');
  else {
    const path = await writeResultsFile(
      new URL('../results/token.json', import.meta.url),
      resultsDocument(results, quick),
    );
    console.log(`\nWrote ${path}`);
  }
  reportLoad('end');
  console.log(`Checksum ${readChecksum()} · total ${formatDuration(performance.now() - started)}`);
}

/**
 * Other processes competing for the cores skew every number, so the 1-minute load average is shown
 * at both ends. This run itself accounts for about 1; much more means it did not have a core to itself.
 */
function reportLoad(when: 'start' | 'end'): void {
  const [oneMinute = 0] = loadavg();
  const warning = oneMinute > 1.5 ? ' — other processes were busy: treat the numbers with care' : '';
  console.log(`load average at ${when}: ${oneMinute.toFixed(2)}${warning}`);
}

function describe({ alg, op, impl }: BenchCase): Pick<TokenResult, 'alg' | 'op' | 'impl'> {
  return { alg, op, impl };
}

/** The members of `all` a BENCH_* filter names (all of them when unset); unknown names are an error. */
function pick<T extends string>(variable: string, all: readonly T[]): T[] {
  const wanted = listFromEnv(variable);
  if (wanted === undefined) return [...all];
  const unknown = [...wanted].filter((name) => !(all as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`${variable}: unknown ${unknown.join(', ')} (known: ${all.join(', ')}).`);
  }
  return all.filter((name) => wanted.has(name));
}

/** Progress goes to stderr, so stdout stays the report; on a terminal it rewrites one line. */
function progressReporter(): (message: string) => void {
  if (!process.stderr.isTTY) return (message) => message.startsWith('round') && console.error(message);
  return (message) => process.stderr.write(`\r\x1b[K${message}`);
}

main().then(
  () => {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  },
  (error: unknown) => {
    console.error('\nbench:token aborted:', error);
    process.exitCode = 1;
  },
);
