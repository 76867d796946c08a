/**
 * npm run bench:http — load on loopback, bounded in time, every target in its own process:
 *   1. GET /api/secure: bare Fastify vs Tessera (verified-token cache on/off) vs @fastify/jwt (ES256),
 *      interleaved over rounds, medians;
 *   2. the raw argon2id hashing limit, then a login storm with the protected route's latency during it;
 *   3. refresh-token rotations per second on SQLite.
 * Prints a table and writes bench/results/http.json. BENCH_QUICK=1 finishes in under two minutes.
 */
import { formatOps, formatRatio } from '../lib/format.js';
import { isQuickRun } from '../lib/env.js';
import { writeResultsFile } from '../lib/results-file.js';
import { median } from '../lib/stats.js';
import { renderTable } from '../lib/table.js';
import { measureArgon2Limit } from './argon2-limit.js';
import { runLoad, type LoadResult } from './load.js';
import { spawnTarget, type RunningTarget } from './spawn-target.js';

interface ScenarioResult {
  scenario: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

const quick = isQuickRun();
const SECONDS = quick ? 4 : 6;
const ROUNDS = quick ? 1 : 3;
const CONNECTIONS = 10;
const results: ScenarioResult[] = [];
const record = (scenario: string, load: LoadResult) =>
  results.push({ scenario, reqPerSec: Math.round(load.reqPerSec), p50Ms: load.p50Ms, p99Ms: load.p99Ms });

async function protectedRoute(): Promise<void> {
  const names = ['bare', 'tessera', 'tessera-nocache', 'fastify-jwt'] as const;
  const scenario: Record<(typeof names)[number], string> = {
    bare: 'secure: bare fastify route',
    tessera: 'secure: tessera (ES256, verified-token cache)',
    'tessera-nocache': 'secure: tessera (ES256, no cache)',
    'fastify-jwt': 'secure: @fastify/jwt (ES256)',
  };
  const targets = new Map<string, RunningTarget>();
  for (const name of names) targets.set(name, await spawnTarget(name));
  try {
    const samples = new Map<string, LoadResult[]>(names.map((name) => [name, []]));
    for (const name of names) await loadSecure(targets.get(name)!, 1, name); // warm-up (JIT, caches)
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) samples.get(name)!.push(await loadSecure(targets.get(name)!, SECONDS, name));
    }
    for (const name of names) {
      const runs = samples.get(name)!;
      record(scenario[name], {
        ...runs[0]!,
        reqPerSec: median(runs.map((r) => r.reqPerSec)),
        p50Ms: median(runs.map((r) => r.p50Ms)),
        p99Ms: median(runs.map((r) => r.p99Ms)),
      });
    }
  } finally {
    await Promise.all([...targets.values()].map((target) => target.stop()));
  }
}

function loadSecure(target: RunningTarget, seconds: number, label: string): Promise<LoadResult> {
  const headers: Record<string, string> = target.accessToken
    ? { authorization: `Bearer ${target.accessToken}` }
    : {};
  return runLoad(
    { url: `${target.url}/api/secure`, connections: CONNECTIONS, duration: seconds, headers },
    label,
  );
}

async function loginStorm(): Promise<number> {
  const hashLimit = await measureArgon2Limit(quick ? 4000 : 8000);
  results.push({
    scenario: 'argon2id raw hashing limit (hashes/s)',
    reqPerSec: Math.round(hashLimit),
    p50Ms: 0,
    p99Ms: 0,
  });
  const target = await spawnTarget('tessera');
  try {
    const body = JSON.stringify({ email: target.email, password: target.password });
    const [logins, secure] = await Promise.all([
      runLoad(
        {
          url: `${target.url}/auth/login`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          connections: 8,
          duration: quick ? 8 : 15,
        },
        'login storm',
      ),
      runLoad(
        {
          url: `${target.url}/api/secure`,
          headers: { authorization: `Bearer ${target.accessToken}` },
          connections: 2,
          overallRate: 200,
          duration: quick ? 8 : 15,
        },
        'secure during login storm',
      ),
    ]);
    record('login storm: POST /auth/login (8 connections)', logins);
    record('login storm: GET /api/secure at 200 req/s during it', secure);
  } finally {
    await target.stop();
  }
  return hashLimit;
}

async function refreshRotations(): Promise<void> {
  const chains = 8;
  const target = await spawnTarget('tessera', chains);
  const pool = [...target.refreshTokens!];
  try {
    // One token per connection is in flight at a time: a request takes a token from the pool and its
    // response puts the successor back. (autocannon resets per-connection context after each pass.)
    const load = await runLoad(
      {
        url: `${target.url}/auth/refresh`,
        connections: chains,
        duration: quick ? 5 : 10,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: JSON.stringify({ refresh_token: pool.pop() }) }),
            onResponse: (status, responseBody) => {
              if (status === 200)
                pool.push((JSON.parse(responseBody) as { refresh_token: string }).refresh_token);
            },
          },
        ],
      },
      'refresh rotations',
    );
    record('refresh rotations: POST /auth/refresh on SQLite', load);
  } finally {
    await target.stop();
  }
}

const started = performance.now();
await protectedRoute();
const hashLimit = await loginStorm();
await refreshRotations();

const find = (prefix: string) => results.find((r) => r.scenario.startsWith(prefix))!;
const bare = find('secure: bare').reqPerSec;
const cached = find('secure: tessera (ES256, verified').reqPerSec;
const fastifyJwt = find('secure: @fastify/jwt').reqPerSec;
const logins = find('login storm: POST').reqPerSec;
const secureDuringStorm = find('login storm: GET');
const refreshes = find('refresh rotations').reqPerSec;
const ratios = {
  protectedVsBare: cached / bare,
  protectedVsFastifyJwt: cached / fastifyJwt,
  loginsVsHashLimit: logins / hashLimit,
};

console.log(
  renderTable(results, [
    { header: 'scenario', value: (r) => r.scenario },
    { header: 'req/s', align: 'right', value: (r) => formatOps(r.reqPerSec) },
    {
      header: 'p50 ms',
      align: 'right',
      value: (r) => (r.scenario.startsWith('argon2id') ? '' : String(r.p50Ms)),
    },
    {
      header: 'p99 ms',
      align: 'right',
      value: (r) => (r.scenario.startsWith('argon2id') ? '' : String(r.p99Ms)),
    },
  ]),
);
console.log('');
const check = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
check(
  ratios.protectedVsBare >= 0.7,
  `protected route (cache) ${formatRatio(ratios.protectedVsBare)} the bare route (target >= 0.70x)`,
);
check(
  ratios.protectedVsFastifyJwt >= 1.5,
  `protected route (cache) ${formatRatio(ratios.protectedVsFastifyJwt)} @fastify/jwt ES256 (target >= 1.50x)`,
);
check(
  ratios.loginsVsHashLimit >= 0.8,
  `logins/s ${formatRatio(ratios.loginsVsHashLimit)} the raw argon2id limit (target >= 0.80x)`,
);
check(
  secureDuringStorm.p99Ms < 20,
  `protected route p99 during the login storm ${secureDuringStorm.p99Ms} ms (target < 20 ms)`,
);
check(refreshes >= 2000, `refresh rotations ${formatOps(refreshes)}/s on SQLite (target >= 2,000/s)`);

const path = await writeResultsFile(new URL('../results/http.json', import.meta.url), {
  node: process.version,
  quick,
  results,
  ratios,
});
console.log(`\nwrote ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
