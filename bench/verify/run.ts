/**
 * npm run bench:verify — the resource-server verifier (tessera/verify's createVerifier) next to jose
 * and fast-jwt, in one process on this machine, verifying one ES256 Tessera access token:
 *   - ops/s of each verifier, interleaved rounds, medians, ratios over jose with a remote JWKS;
 *   - req/s and p99 of a Fastify route behind tessera/verify's plugin and behind @fastify/jwt,
 *     each app in its own process, loaded by autocannon on loopback.
 * The JWKS is served by a real HTTP server on 127.0.0.1. Writes bench/results/verify.json.
 * About 70 s; BENCH_QUICK=1 for a ~20 s smoke run.
 */
import { isQuickRun } from '../lib/env.js';
import { formatDuration } from '../lib/format.js';
import { writeResultsFile } from '../lib/results-file.js';
import { readChecksum } from '../token/measure.js';
import { measureInterleaved, type RoundsOptions } from '../token/rounds.js';
import { buildVerifyContenders } from './contenders.js';
import { createVerifyFixture } from './fixture.js';
import { startJwksServer } from './jwks-server.js';
import { currentLoad, describeMachine } from './machine.js';
import { measureMiddleware, type MiddlewareOptions } from './middleware.js';
import { buildRows, renderRowsTable, resultsDocument } from './report.js';

interface Settings {
  readonly verify: RoundsOptions;
  readonly middleware: MiddlewareOptions;
}

// Full: 5 verifiers × (0.5 + 5 × 1) s ≈ 28 s, then 3 apps × (1 + 2 × 5) s ≈ 33 s.
const FULL: Settings = {
  verify: { warmupMs: 500, rounds: 5, roundMs: 1000, batchMs: 5 },
  middleware: { warmupSeconds: 1, runs: 2, runSeconds: 5, connections: 10 },
};
// Quick: 5 × (0.1 + 3 × 0.25) s ≈ 4 s, then 3 × (0.5 + 2 × 1.5) s ≈ 11 s, plus process start-ups.
const QUICK: Settings = {
  verify: { warmupMs: 100, rounds: 3, roundMs: 250, batchMs: 2 },
  middleware: { warmupSeconds: 0.5, runs: 2, runSeconds: 1.5, connections: 10 },
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const started = performance.now();
  const quick = isQuickRun();
  const settings = quick ? QUICK : FULL;
  const machine = describeMachine();
  const loadAtStart = currentLoad();
  console.log(`Tessera verifier benchmark — node ${machine.node}, ${machine.cpu} ×${machine.cores}`);
  console.log(
    `${quick ? 'quick' : 'full'} run: ${settings.verify.rounds} interleaved rounds of ` +
      `${settings.verify.roundMs} ms per verifier, then ${settings.middleware.runs} alternating runs of ` +
      `${settings.middleware.runSeconds} s per app; medians reported.`,
  );
  console.log(`load average at start: ${loadAtStart.toFixed(2)}\n`);

  const fixture = createVerifyFixture(Math.floor(Date.now() / 1000));
  const jwks = await startJwksServer(fixture.jwks);
  try {
    const contenders = buildVerifyContenders(fixture, jwks.url);
    // Nothing is timed until every verifier has shown that it does its job (this also loads the JWKS).
    for (const contender of contenders) await contender.check();
    const fetchesBeforeTiming = jwks.fetches();
    const progress = progressReporter();
    const verify = await measureInterleaved(contenders, settings.verify, progress);
    if (jwks.fetches() !== fetchesBeforeTiming)
      console.log('warning: a verifier refetched the JWKS while being timed.');
    const middleware = await measureMiddleware(fixture, jwks.url, settings.middleware, progress);
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');

    const rows = buildRows(verify, middleware.measured);
    console.log(renderRowsTable(rows));
    for (const note of middleware.notes) console.log(`note: ${note}`);
    const loadAtEnd = currentLoad();
    const path = await writeResultsFile(
      new URL('../results/verify.json', import.meta.url),
      resultsDocument(rows, {
        quick,
        machine,
        startedAt,
        load: { start: loadAtStart, end: loadAtEnd },
        settings,
        jwksFetches: jwks.fetches(),
        notes: middleware.notes,
      }),
    );
    console.log(
      `\nJWKS fetches: ${jwks.fetches()} (one per remote verifier and app; ${fetchesBeforeTiming} before timing).`,
    );
    const busy = loadAtEnd > 2.5 ? ' — other processes were busy: treat the numbers with care' : '';
    console.log(`load average at end: ${loadAtEnd.toFixed(2)}${busy}`);
    console.log(`Wrote ${path}`);
    console.log(`Checksum ${readChecksum()} · total ${formatDuration(performance.now() - started)}`);
  } finally {
    await jwks.close();
  }
}

/** Progress goes to stderr, so stdout stays the report; on a terminal it rewrites one line. */
function progressReporter(): (message: string) => void {
  if (!process.stderr.isTTY) return (message) => console.error(message);
  return (message) => process.stderr.write(`\r\x1b[K${message}`);
}

main().catch((error: unknown) => {
  console.error('\nbench:verify aborted:', error);
  process.exitCode = 1;
});
