import { sql, type Kysely } from 'kysely';
import type { SecretStore } from '../types.js';
import type { Database } from './database.js';

/**
 * What SQLite and PostgreSQL do alike with the secrets table. Only getOrCreate differs: its
 * first-writer-wins race is settled by each database's own INSERT … ON CONFLICT idiom.
 */
export abstract class SqlSecretStore implements SecretStore {
  protected readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  abstract getOrCreate(name: string, create: () => string): Promise<string>;

  async replace(name: string, value: string): Promise<void> {
    await this.db.updateTable('secrets').set({ value }).where('name', '=', name).execute();
  }

  /** substr, not LIKE: LIKE is case-insensitive in SQLite and would treat `_` in a prefix as a wildcard. */
  async listByPrefix(prefix: string): Promise<Array<{ name: string; value: string }>> {
    return this.db
      .selectFrom('secrets')
      .select(['name', 'value'])
      .where(sql<boolean>`substr(name, 1, ${prefix.length}) = ${prefix}`)
      .orderBy('name')
      .execute();
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('secrets').where('name', '=', name).execute();
  }
}
