import { Migrator } from 'kysely';
import type { Kysely, MigrationResultSet } from 'kysely';
import { migrations } from './index.js';

export interface MigrateOptions {
  /**
   * The schema that holds Kysely's bookkeeping tables (PostgreSQL). Without it Kysely looks for them in
   * every schema it can see, and would take another schema's `kysely_migration` for ours.
   */
  migrationTableSchema?: string;
}

/** Applies every pending migration; throws the first failure. Already applied ones are skipped. */
export async function migrateToLatest(
  db: Kysely<unknown>,
  options: MigrateOptions = {},
): Promise<NonNullable<MigrationResultSet['results']>> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    ...(options.migrationTableSchema !== undefined && { migrationTableSchema: options.migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw error instanceof Error ? error : new Error('Database migration failed.', { cause: error });
  }
  return results ?? [];
}
