/**
 * npm run bench:http — load on loopback, bounded in time, every target in its own process:
 *   1. GET /api/secure: bare Fastify vs Tessera (verified-token cache on/off, metrics on/off) vs @fastify/jwt (ES256)
 *      vs a host app's own route guarded by embedded Tessera (Fastify plugin, Web handler), interleaved
 *      over rounds, medians;
 *   2. the raw argon2id hashing limit, then a login storm with the protected route's latency during it;
 *   3. refresh-token rotations per second on SQLite.
 * Prints a table and writes bench/results/http.json. BENCH_QUICK=1 finishes in under two minutes.
 */
import { formatOps, formatRatio } from '../lib/format.js';
import { isQuickRun } from '../lib/env.js';
import { loadForgotPassword } from './forgot-password-load.js';
import { writeResultsFile } from '../lib/results-file.js';
import { median } from '../lib/stats.js';
import { renderTable } from '../lib/table.js';
import { measureArgon2Limit } from './argon2-limit.js';
import { measureMfaSignInCost, type MfaSignInCost } from './mfa-sign-in-cost.js';
import { runLoad, type LoadResult } from './load.js';
import { openBenchServices, type BenchServices } from './bench-services.js';
import { BENCH_PASSKEY_ENV, measurePasskeySignIns } from './passkey-sign-ins.js';
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

interface SecureScenario {
  label: string;
  target: string;
  /** Which credential the requests carry. */
  credential: 'none' | 'access' | 'session';
}

/**
 * GET /api/secure, every scenario interleaved over the rounds and reported as medians: the bare route,
 * JWT routes (cached, uncached, @fastify/jwt) and, when the services answer, the session-token route on
 * SQLite, PostgreSQL, and PostgreSQL with the Redis session cache.
 */
async function protectedRoute(services: BenchServices | undefined): Promise<void> {
  const targetEnv = new Map<string, Record<string, string>>([
    ['bare', {}],
    ['tessera', {}],
    ['tessera-nocache', {}],
    ['tessera-nometrics', { TESSERA_METRICS: 'off' }],
    ['fastify-jwt', {}],
    ['tessera-embedded', {}],
    ['tessera-web', {}],
  ]);
  const scenarios: SecureScenario[] = [
    { label: 'secure: bare fastify route', target: 'bare', credential: 'none' },
    { label: 'secure: tessera JWT (ES256, verified-token cache)', target: 'tessera', credential: 'access' },
    {
      label: 'secure: tessera JWT (ES256, cache, metrics off)',
      target: 'tessera-nometrics',
      credential: 'access',
    },
    { label: 'secure: tessera JWT (ES256, no cache)', target: 'tessera-nocache', credential: 'access' },
    { label: 'secure: @fastify/jwt (ES256)', target: 'fastify-jwt', credential: 'access' },
    { label: 'secure: tessera session token (SQLite)', target: 'tessera', credential: 'session' },
    {
      label: 'secure: host route via tessera() plugin (ES256, cache)',
      target: 'tessera-embedded',
      credential: 'access',
    },
    {
      label: 'secure: host route via Web handler authenticate()',
      target: 'tessera-web',
      credential: 'access',
    },
  ];
  if (services !== undefined) {
    targetEnv.set('postgres', { TESSERA_DATABASE_URL: await services.newDatabaseUrl() });
    targetEnv.set('postgres+redis', {
      TESSERA_DATABASE_URL: await services.newDatabaseUrl(),
      TESSERA_REDIS_URL: services.redisUrl,
      TESSERA_REDIS_PREFIX: `bench${process.pid}:`,
    });
    scenarios.push(
      { label: 'secure: tessera session token (PostgreSQL)', target: 'postgres', credential: 'session' },
      {
        label: 'secure: tessera session token (PostgreSQL + Redis cache)',
        target: 'postgres+redis',
        credential: 'session',
      },
    );
  }
  const targets = new Map<string, RunningTarget>();
  try {
    for (const [name, env] of targetEnv) {
      const ownKinds = ['bare', 'fastify-jwt', 'tessera-nocache', 'tessera-embedded', 'tessera-web'];
      const kind = ownKinds.includes(name) ? name : 'tessera';
      targets.set(name, await spawnTarget(kind, 0, env));
    }
    const samples = new Map<string, LoadResult[]>(scenarios.map((s) => [s.label, []]));
    for (const scenario of scenarios) await loadSecure(targets.get(scenario.target)!, scenario, 1); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of scenarios) {
        samples.get(scenario.label)!.push(await loadSecure(targets.get(scenario.target)!, scenario, SECONDS));
      }
    }
    for (const scenario of scenarios) {
      const runs = samples.get(scenario.label)!;
      record(scenario.label, {
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

function loadSecure(target: RunningTarget, scenario: SecureScenario, seconds: number): Promise<LoadResult> {
  const token =
    scenario.credential === 'access'
      ? target.accessToken
      : scenario.credential === 'session'
        ? target.sessionToken
        : '';
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return runLoad(
    { url: `${target.url}/api/secure`, connections: CONNECTIONS, duration: seconds, headers },
    scenario.label,
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

/**
 * Passkey sign-ins beside password ones: each is two requests (options, then the assertion) and an
 * ES256 verification instead of argon2id, on SQLite, with 8 concurrent ceremonies.
 */
async function passkeySignIns(): Promise<void> {
  const target = await spawnTarget('tessera', 0, BENCH_PASSKEY_ENV);
  try {
    const passkeys = await measurePasskeySignIns(target, { workers: 8, seconds: quick ? 4 : 10 });
    results.push({
      scenario: 'passkey sign-ins: options + POST /auth/passkeys/sign-in (8 concurrent)',
      ...passkeys,
      reqPerSec: Math.round(passkeys.reqPerSec),
    });
  } finally {
    await target.stop();
  }
}

async function refreshRotations(store: string, env: Record<string, string> = {}): Promise<void> {
  const chains = 8;
  const target = await spawnTarget('tessera', chains, env);
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
    record(`refresh rotations: POST /auth/refresh on ${store}`, load);
  } finally {
    await target.stop();
  }
}

/**
 * How long after a logout on instance B instance A refuses the session's access token, in strict mode
 * with the Redis fan-out: A and B share PostgreSQL and Redis; each sample signs in on A, logs out on B,
 * then polls A every millisecond (bounded) until it answers 401.
 */
async function revocationPropagation(services: BenchServices): Promise<void> {
  const env = {
    TESSERA_DATABASE_URL: await services.newDatabaseUrl(),
    TESSERA_REDIS_URL: services.redisUrl,
    TESSERA_REDIS_PREFIX: `benchrev${process.pid}:`,
    TESSERA_STRICT_MODE: 'true',
  };
  const a = await spawnTarget('tessera', 0, env);
  const b = await spawnTarget('tessera', 0, env);
  const samples: number[] = [];
  try {
    for (let i = 0; i < (quick ? 20 : 50); i++) {
      const login = await fetch(`${a.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: a.email, password: a.password }),
      });
      const { access_token: token } = (await login.json()) as { access_token: string };
      const auth = { authorization: `Bearer ${token}` };
      if ((await fetch(`${a.url}/api/secure`, { headers: auth })).status !== 200)
        throw new Error('token refused before logout');
      const logout = await fetch(`${b.url}/auth/logout`, { method: 'POST', headers: auth });
      if (logout.status !== 204) throw new Error(`logout on B answered ${logout.status}`);
      const start = performance.now();
      for (;;) {
        if ((await fetch(`${a.url}/api/secure`, { headers: auth })).status === 401) break;
        if (performance.now() - start > 5000)
          throw new Error('A still accepts the token 5 s after the logout');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      samples.push(performance.now() - start);
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  const sorted = [...samples].sort((x, y) => x - y);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
  results.push({
    scenario: `revocation propagation across instances (ms, ${samples.length} logouts)`,
    reqPerSec: 0,
    p50Ms: Number(median(samples).toFixed(2)),
    p99Ms: Number(p99.toFixed(2)),
  });
}

let mfaCost: MfaSignInCost | undefined;

/** Runs every scenario; returns the argon2id hashing limit the login ratio is measured against. */
async function runScenarios(): Promise<number> {
  const services = await openBenchServices();
  try {
    await protectedRoute(services);
    const limit = await loginStorm();
    const forgot = await loadForgotPassword(quick ? 5 : 10);
    record('forgot: GET /api/secure at 200 req/s alone', forgot.secureAlone);
    record('forgot: POST /auth/password/forgot (8 connections)', forgot.forgot);
    record('forgot: GET /api/secure at 200 req/s during it', forgot.secureDuring);
    mfaCost = await measureMfaSignInCost(quick ? 15 : 40);
    results.push(
      {
        scenario: 'sign-in: password only (median, in process)',
        reqPerSec: 0,
        p50Ms: Number(mfaCost.passwordMedianMs.toFixed(2)),
        p99Ms: 0,
      },
      {
        scenario: 'sign-in: password + TOTP, two steps (median, in process)',
        reqPerSec: 0,
        p50Ms: Number(mfaCost.twoStepMedianMs.toFixed(2)),
        p99Ms: 0,
      },
    );
    await passkeySignIns();
    await refreshRotations('SQLite');
    if (services !== undefined) {
      await refreshRotations('PostgreSQL', { TESSERA_DATABASE_URL: await services.newDatabaseUrl() });
      await revocationPropagation(services);
    }
    return limit;
  } finally {
    await services?.close();
  }
}

const started = performance.now();
const hashLimit = await runScenarios();

const find = (prefix: string) => results.find((r) => r.scenario.startsWith(prefix))!;
const bare = find('secure: bare').reqPerSec;
const cached = find('secure: tessera JWT (ES256, verified').reqPerSec;
const uncached = find('secure: tessera JWT (ES256, no cache)').reqPerSec;
const sessionSqlite = find('secure: tessera session token (SQLite)').reqPerSec;
const pgRefreshes = results.find((r) => r.scenario === 'refresh rotations: POST /auth/refresh on PostgreSQL');
const propagation = results.find((r) => r.scenario.startsWith('revocation propagation'));
const fastifyJwt = find('secure: @fastify/jwt').reqPerSec;
const logins = find('login storm: POST').reqPerSec;
const secureDuringStorm = find('login storm: GET');
const refreshes = find('refresh rotations: POST /auth/refresh on SQLite').reqPerSec;
const embedded = find('secure: host route via tessera()').reqPerSec;
const webHandler = find('secure: host route via Web handler').reqPerSec;
const ratios = {
  protectedVsBare: cached / bare,
  embeddedVsStandalone: embedded / cached,
  webHandlerVsStandalone: webHandler / cached,
  protectedVsFastifyJwt: cached / fastifyJwt,
  loginsVsHashLimit: logins / hashLimit,
  sessionSqliteVsUncachedJwt: sessionSqlite / uncached,
};

console.log(
  renderTable(results, [
    { header: 'scenario', value: (r) => r.scenario },
    { header: 'req/s', align: 'right', value: (r) => (r.reqPerSec ? formatOps(r.reqPerSec) : '') },
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
  ratios.embeddedVsStandalone >= 0.9,
  `host route via tessera() ${formatRatio(ratios.embeddedVsStandalone)} the standalone /api/secure (target >= 0.90x)`,
);
console.log(
  `info  host route via the Web handler ${formatRatio(ratios.webHandlerVsStandalone)} the standalone /api/secure (inject bridge)`,
);
check(
  ratios.loginsVsHashLimit >= 0.8,
  `logins/s ${formatRatio(ratios.loginsVsHashLimit)} the raw argon2id limit (target >= 0.80x)`,
);
check(
  secureDuringStorm.p99Ms < 20,
  `protected route p99 during the login storm ${secureDuringStorm.p99Ms} ms (target < 20 ms)`,
);
const forgotAlone = find('forgot: GET /api/secure at 200 req/s alone');
const forgotDuring = find('forgot: GET /api/secure at 200 req/s during');
check(
  forgotDuring.p99Ms <= forgotAlone.p99Ms * 1.1 + 1,
  `protected route p99 during forgot-password load ${forgotDuring.p99Ms} ms vs ${forgotAlone.p99Ms} ms alone (target <= +10 %, 1 ms resolution)`,
);
if (mfaCost !== undefined) {
  check(
    mfaCost.overhead < 0.05,
    `sign-in with TOTP adds ${(mfaCost.overhead * 100).toFixed(1)} % to a password sign-in (target < 5 %)`,
  );
}
check(refreshes >= 2000, `refresh rotations ${formatOps(refreshes)}/s on SQLite (target >= 2,000/s)`);
check(
  ratios.sessionSqliteVsUncachedJwt >= 1,
  `session-token route on SQLite ${formatRatio(ratios.sessionSqliteVsUncachedJwt)} the uncached JWT route (target >= 1.00x)`,
);
if (pgRefreshes !== undefined) {
  check(
    pgRefreshes.reqPerSec >= 1000,
    `refresh rotations ${formatOps(pgRefreshes.reqPerSec)}/s on PostgreSQL (target >= 1,000/s)`,
  );
}
if (propagation !== undefined) {
  check(
    propagation.p99Ms < 100,
    `revocation propagation p50 ${propagation.p50Ms} ms, p99 ${propagation.p99Ms} ms (target < 100 ms)`,
  );
}

const path = await writeResultsFile(new URL('../results/http.json', import.meta.url), {
  node: process.version,
  quick,
  results,
  ratios,
});
console.log(`\nwrote ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
