import type { Kysely } from 'kysely';
import { EmailTakenError } from '../types.js';
import type { NewUser, UserPatch, UserRecord, UserStore } from '../types.js';
import type { Database } from './database.js';
import { isUniqueViolation } from './postgres-errors.js';
import { toUserRecord, toUserRow, toUserUpdate } from './row-mappers.js';

/** The name PostgreSQL gives the UNIQUE constraint on users.email (see postgres-errors.ts). */
const EMAIL_CONSTRAINT = 'users_email_key';

export class PostgresUserStore implements UserStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
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
      if (isUniqueViolation(error, EMAIL_CONSTRAINT)) throw new EmailTakenError();
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
    const row = await this.#db
      .updateTable('users')
      .set(toUserUpdate(patch))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toUserRecord(row);
  }

  async list(options: { limit?: number; offset?: number } = {}): Promise<UserRecord[]> {
    // PostgreSQL takes OFFSET on its own (SQLite needs a LIMIT before it).
    let query = this.#db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id');
    if (options.limit !== undefined) query = query.limit(options.limit);
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
