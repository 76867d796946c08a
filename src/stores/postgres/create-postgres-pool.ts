import pg from 'pg';
import { postgresTypeParsers } from './postgres-type-parsers.js';

export interface PostgresPoolOptions {
  url: string;
  /** Connections per instance; every instance of the server opens its own pool. */
  poolSize: number;
  /** When set, every pooled connection starts with `search_path` set to this schema alone. */
  schema?: string;
}

/** How long a request waits for a free or new connection before failing (503, not a hung request). */
const CONNECTION_TIMEOUT_MS = 5_000;

/** A lower-case SQL identifier: safe in a `-c search_path=` startup option without quoting. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new TypeError('schema must be a lower-case SQL identifier (a-z, 0-9, _; at most 63 characters).');
  }
}

export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  if (options.schema !== undefined) {
    assertSchemaName(options.schema);
    // pg lets the URL's `options` override ours, which would split the tables from their bookkeeping.
    if (urlHasOptions(options.url)) {
      throw new TypeError('Set the schema in the URL (options=-c search_path=…) or as an option, not both.');
    }
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    application_name: 'tessera',
    types: postgresTypeParsers,
    // A startup parameter rather than a SET after connecting: it holds for every connection the pool
    // ever opens, including those that replace broken ones, with no extra round trip.
    ...(options.schema !== undefined && { options: `-c search_path=${options.schema}` }),
  });
  // An idle client whose server went away (restart, failover) is emitted here; without a listener the
  // 'error' event would crash the process. The pool has dropped that client already, and the next
  // query opens a new connection (or fails with an error the HTTP edge answers with 503).
  pool.on('error', () => {});
  // The pool's listener covers idle clients only. A client checked out for a query (Kysely holds one
  // per query or transaction) emits 'error' itself when the server goes away mid-query, and without a
  // listener that crashes the process. The query's promise rejects with the same error, which the
  // HTTP edge answers with 503, so the event needs no handling beyond being listened to.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

function urlHasOptions(url: string): boolean {
  try {
    return new URL(url).searchParams.has('options');
  } catch {
    return false;
  }
}
