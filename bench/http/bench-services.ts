import pg from 'pg';
import { Redis } from 'ioredis';

/**
 * PostgreSQL and Redis for the scaled-out scenarios: the local services (BENCH_POSTGRES_URL,
 * BENCH_REDIS_URL override them), a throwaway schema per target so targets never share rows by
 * accident, dropped when the run ends. Unreachable services skip those scenarios with a printed line.
 */
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchServices {
  redisUrl: string;
  /** A TESSERA_DATABASE_URL on a fresh schema. */
  newDatabaseUrl(): Promise<string>;
  close(): Promise<void>;
}

export async function openBenchServices(): Promise<BenchServices | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  admin.on('error', () => {});
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await admin.connect();
    await redis.connect();
    await redis.ping();
  } catch (error) {
    console.log(`SKIP  PostgreSQL/Redis scenarios: services unreachable (${(error as Error).message})`);
    await admin.end().catch(() => {});
    redis.disconnect();
    return undefined;
  }
  redis.disconnect();
  const schemas: string[] = [];
  return {
    redisUrl: REDIS_URL,
    async newDatabaseUrl() {
      const schema = `tessera_bench_${process.pid}_${schemas.length}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      schemas.push(schema);
      const url = new URL(POSTGRES_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    },
    async close() {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
