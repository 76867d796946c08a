import { SqlSecretStore } from '../sql/sql-secret-store.js';

export class SqliteSecretStore extends SqlSecretStore {
  /**
   * Insert-if-absent, then read back: when two callers (or two processes) race, the second insert is
   * ignored and both read the first writer's value.
   */
  async getOrCreate(name: string, create: () => string): Promise<string> {
    const existing = await this.#read(name);
    if (existing !== undefined) return existing;
    await this.db
      .insertInto('secrets')
      .values({ name, value: create() })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    const stored = await this.#read(name);
    if (stored === undefined) throw new Error('A secret vanished right after it was stored.');
    return stored;
  }

  async #read(name: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.value;
  }
}
