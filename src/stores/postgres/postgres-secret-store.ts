import { SqlSecretStore } from '../sql/sql-secret-store.js';

export class PostgresSecretStore extends SqlSecretStore {
  /**
   * Read first (the usual case: the secret exists). Otherwise one INSERT … ON CONFLICT that, when
   * another instance won the race, rewrites the stored value with itself: that makes RETURNING hand
   * back the first writer's value, so every caller ends up with the same secret.
   */
  async getOrCreate(name: string, create: () => string): Promise<string> {
    const existing = await this.db
      .selectFrom('secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirst();
    if (existing !== undefined) return existing.value;
    const stored = await this.db
      .insertInto('secrets')
      .values({ name, value: create() })
      .onConflict((conflict) =>
        conflict.column('name').doUpdateSet({ value: (eb) => eb.ref('secrets.value') }),
      )
      .returning('value')
      .executeTakeFirstOrThrow();
    return stored.value;
  }
}
