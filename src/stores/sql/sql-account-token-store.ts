import type { Kysely } from 'kysely';
import type {
  AccountTokenPurpose,
  AccountTokenRecord,
  AccountTokenStore,
  NewAccountToken,
} from '../account-tokens.js';
import type { AccountTokensTable, Database } from './database.js';

/**
 * Account links over Kysely, shared by SQLite and PostgreSQL. Every step is one statement, so none
 * needs a transaction: `consume` is a conditional UPDATE (the database's row lock lets exactly one of
 * racing callers match), and `issue` voids only links older than the new one, so two racing issues
 * leave the newer standing whatever order their statements run in.
 */
export class SqlAccountTokenStore implements AccountTokenStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async issue(token: NewAccountToken): Promise<void> {
    const createdAt = token.createdAt.getTime();
    await this.#db
      .insertInto('account_tokens')
      .values({
        id: token.id,
        user_id: token.userId,
        purpose: token.purpose,
        token_hash: token.tokenHash,
        email: token.email,
        created_at: createdAt,
        expires_at: token.expiresAt.getTime(),
        used_at: null,
        revoked_at: null,
      })
      .execute();
    await this.#db
      .updateTable('account_tokens')
      .set({ revoked_at: createdAt })
      .where('user_id', '=', token.userId)
      .where('purpose', '=', token.purpose)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('created_at', '<', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('id', '<', token.id)]),
        ]),
      )
      .execute();
  }

  async findById(id: string): Promise<AccountTokenRecord | undefined> {
    const row = await this.#db
      .selectFrom('account_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAccountTokenRecord(row);
  }

  async consume(id: string, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('account_tokens')
      .set({ used_at: at.getTime() })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at.getTime())
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async revokeForUser(userId: string, purposes: readonly AccountTokenPurpose[], at: Date): Promise<number> {
    if (purposes.length === 0) return 0;
    const result = await this.#db
      .updateTable('account_tokens')
      .set({ revoked_at: at.getTime() })
      .where('user_id', '=', userId)
      .where('purpose', 'in', [...purposes])
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async pruneExpired(before: Date): Promise<number> {
    const result = await this.#db
      .deleteFrom('account_tokens')
      .where('expires_at', '<', before.getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toAccountTokenRecord(row: AccountTokensTable): AccountTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    purpose: row.purpose,
    tokenHash: row.token_hash,
    email: row.email,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
    usedAt: row.used_at === null ? null : new Date(Number(row.used_at)),
    revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)),
  };
}
