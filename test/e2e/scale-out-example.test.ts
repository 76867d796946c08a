/**
 * examples/scale-out/run.sh, run as a reader runs it: PostgreSQL (a database of its own), a private
 * redis-server, three `tessera serve` instances and nginx terminating TLS, then its smoke test through
 * the proxy (examples/scale-out/smoke.sh) and a rolling restart of the three under traffic. Every check
 * must pass, and every run —
 * passed, refused or interrupted — must leave no process, no database and no files behind.
 *
 * Skipped with a printed line when nginx is not installed, unless TEST_REQUIRE_NGINX=1 (CI sets it);
 * skipped like the other scaled-out suites when PostgreSQL is unreachable (TEST_REQUIRE_SERVICES=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { redisServerAvailable } from '../helpers/private-redis.js';
import { postgresUrl, servicesAvailable } from '../helpers/services.js';
import { REPO_ROOT } from '../helpers/spawn-instance.js';

const SCRIPT = join(REPO_ROOT, 'examples/scale-out/run.sh');
/** A bound for the whole example on a loaded 2-core machine (about 1.5 min when quiet, 4.5 at load 20). */
const RUN_TIMEOUT_MS = 900_000;
/** The checks smoke.sh makes, each of which must be reported as passed. */
const CHECKS = [
  /TLS ends at nginx .* the issuer is the proxy's URL/,
  /register through the proxy \(201/,
  /login through the proxy \(200, on instance [abc]\b/,
  /refresh through the proxy on another instance \([abc]\): a rotated pair/,
  /GET \/api\/secure through the proxy \(200, sub is the registered user\)/,
  /JWKS identical on a, b, c and through the proxy .* the token verifies on each/,
  /sessions and audit_events record the client's address \(127\.0\.0\.2, 127\.0\.0\.3\)/,
  /login limit per client address across [23] instances: the 6th from 127\.0\.0\.4 got 429/,
  /another master key, or none, refuses to start and names TESSERA_MASTER_KEY/,
  /strict mode: after a global logout every instance refuses both sessions' tokens/,
  /instance b killed \(SIGKILL\): all 8 requests through the proxy answered/,
];
/** run.sh's own check after the smoke test: an upgrade's rolling restart, without a failed request. */
const ROLLING_RESTART =
  /^ok - rolling restart of a, b, c under traffic: \d+ requests through the proxy .*, none failed$/m;

function findNginx(): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin'];
  for (const directory of directories) {
    const candidate = join(directory, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const nginxRequired = process.env.TEST_REQUIRE_NGINX === '1';
const nginx = findNginx();
if (nginx === undefined && !nginxRequired) {
  console.warn('SKIP scale-out example: nginx is not installed (set TEST_REQUIRE_NGINX=1 to fail instead)');
}
const runnable =
  (nginx !== undefined || nginxRequired) &&
  (await servicesAvailable('test/e2e/scale-out-example.test.ts', { postgres: true }));

interface ScriptRun {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves once the output matches (or rejects when the script ends first). */
  waitFor(pattern: RegExp): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** The server part of the test PostgreSQL URL: the script adds its own database name. */
function postgresServer(): string {
  const url = new URL(postgresUrl());
  return `${url.protocol}//${url.username ? `${url.username}@` : ''}${url.host}`;
}

function startScript(database: string): ScriptRun {
  // The reader's environment, minus stray TESSERA_* settings (the script sets the ones it needs).
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_')));
  const child = spawn('bash', [SCRIPT], {
    cwd: REPO_ROOT,
    env: {
      ...env,
      ...(nginx === undefined ? {} : { NGINX: nginx }),
      SCALE_OUT_POSTGRES: postgresServer(),
      SCALE_OUT_DATABASE: database,
      SCALE_OUT_DEADLINE: String(RUN_TIMEOUT_MS / 1000 - 30),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      for (const listener of listeners) listener();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            listeners.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`the script ended before ${pattern}:\n${output}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}

async function databaseExists(name: string): Promise<boolean> {
  // The name is ours (uniqueDatabase: [a-z0-9_]), so it can sit in the text.
  return (await query(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length === 1;
}

/** The test PostgreSQL URL with another database. */
function databaseUrl(database: string): string {
  const url = new URL(postgresUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function query<R extends pg.QueryResultRow>(sql: string, database?: string): Promise<R[]> {
  const client = new pg.Client({
    connectionString: database === undefined ? postgresUrl() : databaseUrl(database),
  });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

function uniqueDatabase(): string {
  return `tessera_scale_out_t${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** The processes the script said it started (redis-server, instances, nginx). */
function startedPids(output: string): number[] {
  return [...output.matchAll(/^\[scale-out\] started .* pid (\d+)/gm)].map((m) => Number(m[1]));
}

/** Still running and still one of ours (a pid the kernel gave to something else since does not count). */
function stillRunning(pid: number): boolean {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return /nginx|redis-server|dist\/cli\/main\.js/.test(command);
  } catch {
    return false;
  }
}

/** Nothing left: no process it started, no database, no run directory. */
async function expectNothingLeft(output: string, database: string): Promise<void> {
  const pids = startedPids(output);
  expect(pids.length, 'the script names the processes it started').toBeGreaterThan(0);
  expect(pids.filter(stillRunning), 'processes left running').toEqual([]);
  expect(await databaseExists(database), `database ${database} left behind`).toBe(false);
  const runDirectory = /^\[scale-out\] run directory: (.+)$/m.exec(output)?.[1];
  expect(runDirectory, 'the script names its run directory').toBeDefined();
  expect(existsSync(runDirectory!), `run directory ${runDirectory} left behind`).toBe(false);
}

afterEach(async () => {
  // A failed test must not leave a script (and its servers) running: TERM lets its trap clean up.
  for (const child of running) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
  }
});

describe.skipIf(!runnable)('examples/scale-out/run.sh', () => {
  it(
    'starts PostgreSQL, Redis, three instances and nginx, passes every smoke check, and leaves nothing',
    async () => {
      if (nginx === undefined)
        throw new Error('TEST_REQUIRE_NGINX=1 but nginx is missing: apt-get install -y nginx');
      if (!(await redisServerAvailable())) throw new Error('redis-server is not installed');
      const database = uniqueDatabase();
      const run = startScript(database);
      const { code } = await run.exited;
      const output = run.output();
      expect(code, output).toBe(0);
      for (const check of CHECKS) expect(output, `check ${check}`).toMatch(check);
      expect(output).toContain(`all ${CHECKS.length} checks passed`);
      expect(output).toMatch(ROLLING_RESTART);
      // Each instance was started twice (once more by the rolling restart), each start its own process.
      for (const name of ['a', 'b', 'c']) {
        expect(
          output.match(new RegExp(`^\\[scale-out\\] started instance ${name} pid`, 'gm')),
          name,
        ).toHaveLength(2);
      }
      expect(output).not.toMatch(/^not ok/m);
      await expectNothingLeft(output, database);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'refuses a database that already exists, and leaves it as it was',
    async () => {
      if (nginx === undefined)
        throw new Error('TEST_REQUIRE_NGINX=1 but nginx is missing: apt-get install -y nginx');
      const database = uniqueDatabase();
      await query(`CREATE DATABASE ${database}`);
      try {
        await query('CREATE TABLE kept (note text); INSERT INTO kept VALUES ($$mine$$)', database);
        const run = startScript(database);
        const { code } = await run.exited;
        expect(code, run.output()).toBe(3);
        expect(run.output()).toContain(`database ${database} already exists`);
        expect(startedPids(run.output()), 'nothing started').toEqual([]);
        expect(await databaseExists(database)).toBe(true);
        expect(await query('SELECT note FROM kept', database)).toEqual([{ note: 'mine' }]);
      } finally {
        await query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'interrupted (SIGTERM) once everything runs: stops every process and drops its database',
    async () => {
      if (nginx === undefined)
        throw new Error('TEST_REQUIRE_NGINX=1 but nginx is missing: apt-get install -y nginx');
      const database = uniqueDatabase();
      const run = startScript(database);
      await run.waitFor(/^\[scale-out\] started nginx pid \d+/m);
      expect(await databaseExists(database)).toBe(true);
      run.child.kill('SIGTERM');
      const { code } = await run.exited;
      expect(code, run.output()).not.toBe(0);
      expect(run.output()).toContain('[scale-out] stopped everything');
      await expectNothingLeft(run.output(), database);
    },
    RUN_TIMEOUT_MS,
  );
});
