import type { Kysely } from 'kysely';
import { EmailTakenError } from '../types.js';
import type { NewUser, UserPatch, UserRecord, UserStore } from '../types.js';
import type { Database } from './database.js';
import { toUserRecord, toUserRow, toUserUpdate } from './row-mappers.js';

/** What differs between the SQL dialects for users: how a duplicate e-mail and an OFFSET look. */
export interface SqlUserStoreDialect {
  /** True for the unique-constraint violation on users.email (the codes differ per driver). */
  isEmailTaken(error: unknown): boolean;
  /** SQLite accepts OFFSET only after a LIMIT (LIMIT -1 means none); PostgreSQL takes it alone. */
  offsetNeedsLimit: boolean;
}

/** Users over Kysely, shared by the SQLite and PostgreSQL adapters. */
export class SqlUserStore implements UserStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlUserStoreDialect;

  constructor(db: Kysely<Database>, dialect: SqlUserStoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async create(user: NewUser): Promise<UserRecord> {
    try {
      const row = await this.#db
        .insertInto('users')
        .values(toUserRow(user))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUserRecord(row);
    } catch (error) {
      if (this.#dialect.isEmailTaken(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUserRecord(row);
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toUserRecord(row);
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    try {
      const row = await this.#db
        .updateTable('users')
        .set(toUserUpdate(patch))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toUserRecord(row);
    } catch (error) {
      // Only an e-mail change can hit the unique index: the address belongs to someone else.
      if (this.#dialect.isEmailTaken(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async list(options: { limit?: number; offset?: number } = {}): Promise<UserRecord[]> {
    let query = this.#db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id');
    if (options.limit !== undefined) query = query.limit(options.limit);
    else if (options.offset !== undefined && this.#dialect.offsetNeedsLimit) query = query.limit(-1);
    if (options.offset !== undefined) query = query.offset(options.offset);
    const rows = await query.execute();
    return rows.map(toUserRecord);
  }

  /** Sessions and their refresh tokens go with the user (ON DELETE CASCADE). */
  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
