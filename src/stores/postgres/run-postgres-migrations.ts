import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../migrations/migrate-to-latest.js';

/** SQLSTATEs of a CREATE SCHEMA IF NOT EXISTS that lost a race with another instance doing the same. */
const SCHEMA_RACE_CODES = new Set(['42P06', '23505']);

/**
 * Creates the schema when one is configured, then applies pending migrations. Kysely runs each
 * PostgreSQL migration in a transaction under an advisory lock, so instances starting together apply
 * it once and a failure leaves no half-made schema. Returns the names this run applied.
 */
export async function runPostgresMigrations(
  db: Kysely<unknown>,
  schema: string | undefined,
): Promise<string[]> {
  if (schema !== undefined) await createSchemaIfMissing(db, schema);
  const migrationTableSchema = schema ?? (await currentSchema(db));
  const results = await migrateToLatest(db, { migrationTableSchema });
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

async function createSchemaIfMissing(db: Kysely<unknown>, schema: string): Promise<void> {
  try {
    await db.schema.createSchema(schema).ifNotExists().execute();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !SCHEMA_RACE_CODES.has(code)) throw error;
  }
}

/** Where unqualified tables go: the first existing schema on the connection's search_path. */
async function currentSchema(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ name: string | null }>`select current_schema() as name`.execute(db);
  const name = rows[0]?.name;
  if (name === null || name === undefined) {
    throw new Error('PostgreSQL has no current schema: fix search_path or set the schema option.');
  }
  return name;
}
