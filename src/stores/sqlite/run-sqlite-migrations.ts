import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../migrations/migrate-to-latest.js';

/**
 * Kysely runs SQLite migrations outside a transaction (its SQLite adapter reports no transactional
 * DDL) and its migration lock is a no-op. SQLite does have transactional DDL, so we wrap the run in
 * BEGIN IMMEDIATE on the one connection Kysely also uses: a failed migration leaves no half-made
 * schema, and a second process starting on the same file waits (busy_timeout), then finds nothing to do.
 */
export async function runSqliteMigrations(
  raw: BetterSqlite3.Database,
  db: Kysely<unknown>,
): Promise<string[]> {
  raw.exec('BEGIN IMMEDIATE');
  try {
    const results = await migrateToLatest(db);
    raw.exec('COMMIT');
    // The names applied by this run (empty when the schema was already up to date): `tessera migrate` prints them.
    return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  } catch (error) {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    throw error;
  }
}
