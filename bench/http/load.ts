import autocannon from 'autocannon';

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export type LoadOptions = autocannon.Options;

/**
 * One bounded autocannon run (loopback only, a fixed duration). A run whose responses were not all
 * 2xx is an error, not a result: a benchmark of failing requests measures nothing.
 */
export async function runLoad(options: LoadOptions, label: string): Promise<LoadResult> {
  const result = await autocannon({ ...options, url: assertLoopback(options.url) });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `${label}: ${result.errors} errors and ${result.non2xx} non-2xx responses out of ${result.requests.total}`,
    );
  }
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

function assertLoopback(url: string): string {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+/.test(url))
    throw new Error(`load tests target loopback only, not ${url}`);
  return url;
}
