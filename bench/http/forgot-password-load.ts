/**
 * Forgot-password under load next to the protected route: GET /api/secure at a fixed 200 req/s, first
 * alone, then while 8 connections POST /auth/password/forgot for a registered address as fast as they
 * can (every request stores a link and queues a message, after its answer). The protected route's p99
 * must not rise by more than 10 % (plus 1 ms, autocannon's resolution). Run alone with
 * `node --import tsx bench/http/forgot-password-load.ts` (BENCH_QUICK=1 for a short run).
 */
import { pathToFileURL } from 'node:url';
import { isQuickRun } from '../lib/env.js';
import { runLoad, type LoadResult } from './load.js';
import { spawnTarget } from './spawn-target.js';

export interface ForgotPasswordLoad {
  secureAlone: LoadResult;
  secureDuring: LoadResult;
  forgot: LoadResult;
}

export async function loadForgotPassword(seconds: number): Promise<ForgotPasswordLoad> {
  const target = await spawnTarget('tessera');
  try {
    const secure = () =>
      runLoad(
        {
          url: `${target.url}/api/secure`,
          headers: { authorization: `Bearer ${target.accessToken}` },
          connections: 2,
          overallRate: 200,
          duration: seconds,
        },
        'secure',
      );
    const secureAlone = await secure();
    const [forgot, secureDuring] = await Promise.all([
      runLoad(
        {
          url: `${target.url}/auth/password/forgot`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: target.email }),
          connections: 8,
          duration: seconds,
        },
        'forgot-password',
      ),
      secure(),
    ]);
    return { secureAlone, secureDuring, forgot };
  } finally {
    await target.stop();
  }
}

/** The check: p99 during the load within 10 % of p99 alone (1 ms of slack for the histogram's resolution). */
export function forgotPasswordWithinBudget(load: ForgotPasswordLoad): boolean {
  return load.secureDuring.p99Ms <= load.secureAlone.p99Ms * 1.1 + 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const load = await loadForgotPassword(isQuickRun() ? 5 : 10);
  const line = (scenario: string, r: LoadResult) =>
    console.log(
      JSON.stringify({ scenario, reqPerSec: Math.round(r.reqPerSec), p50Ms: r.p50Ms, p99Ms: r.p99Ms }),
    );
  line('GET /api/secure at 200 req/s, alone', load.secureAlone);
  line('POST /auth/password/forgot (8 connections)', load.forgot);
  line('GET /api/secure at 200 req/s, during forgot-password load', load.secureDuring);
  console.log(forgotPasswordWithinBudget(load) ? 'ok' : 'FAIL: protected route p99 rose by more than 10 %');
}
