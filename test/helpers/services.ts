/**
 * The PostgreSQL and Redis the scaled-out tests run against. Suites skip with a printed line when a
 * service is unreachable, and fail instead when TEST_REQUIRE_SERVICES=1 (CI sets it).
 * Override the addresses with TEST_POSTGRES_URL and TEST_REDIS_URL.
 */
import { connect } from 'node:net';
import pg from 'pg';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const PROBE_TIMEOUT_MS = 2_000;

export function postgresUrl(): string {
  return process.env.TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL;
}

export function redisUrl(): string {
  return process.env.TEST_REDIS_URL || DEFAULT_REDIS_URL;
}

/** True when the services are mandatory: a missing one fails the suite instead of skipping it. */
export function requireServices(): boolean {
  return process.env.TEST_REQUIRE_SERVICES === '1';
}

/** Connects and runs `SELECT 1`, within a couple of seconds. */
export async function isPostgresReachable(url = postgresUrl()): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Sends PING over a raw socket and waits for +PONG (or an auth error, which still means "up"). */
export function isRedisReachable(url = redisUrl()): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    let answer = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG') || answer.startsWith('-NOAUTH'));
    });
  });
}

/**
 * Whether the listed services answer. When one does not: throws under TEST_REQUIRE_SERVICES=1,
 * otherwise prints why `suite` is skipped and returns false.
 */
export async function servicesAvailable(
  suite: string,
  needs: { postgres?: boolean; redis?: boolean },
): Promise<boolean> {
  const missing: string[] = [];
  if (needs.postgres && !(await isPostgresReachable()))
    missing.push(`PostgreSQL (${display(postgresUrl())})`);
  if (needs.redis && !(await isRedisReachable())) missing.push(`Redis (${display(redisUrl())})`);
  if (missing.length === 0) return true;
  const why = `${suite}: ${missing.join(' and ')} not reachable`;
  if (requireServices()) throw new Error(`${why}, and TEST_REQUIRE_SERVICES=1 makes it mandatory`);
  console.log(`SKIP ${why} (set TEST_REQUIRE_SERVICES=1 to fail instead)`);
  return false;
}

/** A URL fit for a log line: no password. */
function display(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** `url` with its host and port replaced (to go through a proxy). */
export function withHostPort(url: string, host: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = host;
  parsed.port = String(port);
  return parsed.toString();
}

/** A PostgreSQL URL whose sessions use `schema` (libpq `options=-c search_path=…`, honoured by pg). */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export interface TestSchema {
  readonly name: string;
  /** A direct client on the schema (search_path set), for assertions. */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Drops the schema with everything in it and closes the client. */
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named schema for one test file. */
export async function createTestSchema(prefix: string): Promise<TestSchema> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`createTestSchema: bad prefix ${prefix}`);
  const client = new pg.Client({
    connectionString: postgresUrl(),
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => {});
  await client.connect();
  await client.query(`CREATE SCHEMA "${name}"`);
  await client.query(`SET search_path TO "${name}"`);
  return {
    name,
    query: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
      (await client.query<R>(sql, params)).rows,
    async drop() {
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}
