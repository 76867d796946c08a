import { Migrator } from 'kysely';
import type { Kysely, MigrationResultSet } from 'kysely';
import { migrations } from './index.js';

/** Applies every pending migration; throws the first failure. Already applied ones are skipped. */
export async function migrateToLatest(
  db: Kysely<unknown>,
): Promise<NonNullable<MigrationResultSet['results']>> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw error instanceof Error ? error : new Error('Database migration failed.', { cause: error });
  }
  return results ?? [];
}
