/**
 * Benchmark knobs read from the environment. Benchmarks live outside src/, so they read
 * process.env directly rather than going through src/config/.
 */

/** BENCH_QUICK=1: fewer, shorter rounds, for a smoke run that must finish in well under a minute. */
export function isQuickRun(): boolean {
  const value = process.env.BENCH_QUICK;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * A comma-separated filter such as BENCH_ALGS=HS256,ES256, or undefined when unset. Meant for
 * profiling one slice of a benchmark; a filtered run does not overwrite the results file.
 */
export function listFromEnv(name: string): ReadonlySet<string> | undefined {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return undefined;
  return new Set(
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );
}
