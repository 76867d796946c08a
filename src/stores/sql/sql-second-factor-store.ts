import type { Kysely, Selectable } from 'kysely';
import type { NewSecondFactor, SecondFactorRecord, SecondFactorStore } from '../second-factors.js';
import type { Database, SecondFactorsTable } from './database.js';

/**
 * Replaces a user's recovery codes in one transaction. The dialects differ: SQLite runs it as a
 * synchronous better-sqlite3 transaction (the stores never use Kysely's transaction() there, see
 * create-sqlite-stores.ts), PostgreSQL as a Kysely transaction.
 */
export type ReplaceRecoveryCodes = (userId: string, codeHashes: readonly string[], at: Date) => Promise<void>;

/**
 * Second factors and recovery codes over Kysely, shared by the SQLite and PostgreSQL adapters. The
 * single-use steps (acceptStep, useRecoveryCode) are one conditional UPDATE each: atomic on both.
 */
export class SqlSecondFactorStore implements SecondFactorStore {
  readonly #db: Kysely<Database>;
  readonly #replaceRecoveryCodes: ReplaceRecoveryCodes;

  constructor(db: Kysely<Database>, replaceRecoveryCodes: ReplaceRecoveryCodes) {
    this.#db = db;
    this.#replaceRecoveryCodes = replaceRecoveryCodes;
  }

  async create(factor: NewSecondFactor): Promise<SecondFactorRecord> {
    const row = await this.#db
      .insertInto('second_factors')
      .values({
        id: factor.id,
        user_id: factor.userId,
        kind: factor.kind,
        secret: factor.secret,
        label: factor.label,
        created_at: factor.createdAt.getTime(),
        confirmed_at: null,
        last_used_step: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSecondFactorRecord(row);
  }

  async listForUser(userId: string): Promise<SecondFactorRecord[]> {
    const rows = await this.#db
      .selectFrom('second_factors')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSecondFactorRecord);
  }

  async findById(id: string): Promise<SecondFactorRecord | undefined> {
    const row = await this.#db
      .selectFrom('second_factors')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toSecondFactorRecord(row);
  }

  async acceptStep(id: string, step: number, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('second_factors')
      .set((eb) => ({
        last_used_step: step,
        confirmed_at: eb.fn.coalesce('confirmed_at', eb.val(at.getTime())),
      }))
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async remove(userId: string, id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('second_factors')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async removePending(userId: string): Promise<number> {
    const result = await this.#db
      .deleteFrom('second_factors')
      .where('user_id', '=', userId)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async removeAllForUser(userId: string): Promise<number> {
    await this.#replaceRecoveryCodes(userId, [], new Date(0));
    const result = await this.#db
      .deleteFrom('second_factors')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  replaceRecoveryCodes(userId: string, codeHashes: readonly string[], at: Date): Promise<void> {
    return this.#replaceRecoveryCodes(userId, codeHashes, at);
  }

  async useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('recovery_codes')
      .set({ used_at: at.getTime() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

/** PostgreSQL: delete and insert in one Kysely transaction. */
export function replaceRecoveryCodesInTransaction(db: Kysely<Database>): ReplaceRecoveryCodes {
  return (userId, codeHashes, at) =>
    db.transaction().execute(async (trx) => {
      await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      if (codeHashes.length === 0) return;
      await trx
        .insertInto('recovery_codes')
        .values(
          codeHashes.map((code_hash) => ({
            user_id: userId,
            code_hash,
            created_at: at.getTime(),
            used_at: null,
          })),
        )
        .execute();
    });
}

function toSecondFactorRecord(row: Selectable<SecondFactorsTable>): SecondFactorRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    secret: row.secret,
    label: row.label,
    createdAt: new Date(Number(row.created_at)),
    confirmedAt: row.confirmed_at === null ? null : new Date(Number(row.confirmed_at)),
    lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
  };
}
