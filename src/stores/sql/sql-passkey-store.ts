import type { Kysely, Selectable } from 'kysely';
import { CredentialIdTakenError } from '../passkey-store.js';
import type { PasskeyRecord, PasskeyStore, PasskeyTransport, PasskeyUse } from '../passkey-store.js';
import type { Database, PasskeysTable } from './database.js';

/** Passkeys over Kysely, shared by the SQLite and PostgreSQL adapters (migration 009). */
export class SqlPasskeyStore implements PasskeyStore {
  readonly #db: Kysely<Database>;
  /** True for the unique violation on passkeys.credential_id (the codes differ per driver). */
  readonly #isCredentialIdTaken: (error: unknown) => boolean;

  constructor(db: Kysely<Database>, isCredentialIdTaken: (error: unknown) => boolean) {
    this.#db = db;
    this.#isCredentialIdTaken = isCredentialIdTaken;
  }

  async create(passkey: PasskeyRecord): Promise<PasskeyRecord> {
    try {
      const row = await this.#db
        .insertInto('passkeys')
        .values(toPasskeyRow(passkey))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPasskeyRecord(row);
    } catch (error) {
      if (this.#isCredentialIdTaken(error)) throw new CredentialIdTakenError();
      throw error;
    }
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined> {
    const row = await this.#db
      .selectFrom('passkeys')
      .selectAll()
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    return row && toPasskeyRecord(row);
  }

  async listForUser(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.#db
      .selectFrom('passkeys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toPasskeyRecord);
  }

  async rename(userId: string, id: string, name: string): Promise<PasskeyRecord | undefined> {
    const row = await this.#db
      .updateTable('passkeys')
      .set({ name })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    return row && toPasskeyRecord(row);
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('passkeys')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async recordUse(id: string, use: PasskeyUse): Promise<boolean> {
    // One statement with the expected counter in its WHERE: a compare-and-set on both databases.
    const result = await this.#db
      .updateTable('passkeys')
      .set({ counter: use.counter, backed_up: use.backedUp ? 1 : 0, last_used_at: use.usedAt.getTime() })
      .where('id', '=', id)
      .where('counter', '=', use.expectedCounter)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toPasskeyRow(passkey: PasskeyRecord): PasskeysTable {
  return {
    id: passkey.id,
    user_id: passkey.userId,
    credential_id: passkey.credentialId,
    public_key: passkey.publicKey,
    counter: passkey.counter,
    transports: JSON.stringify(passkey.transports),
    backup_eligible: passkey.backupEligible ? 1 : 0,
    backed_up: passkey.backedUp ? 1 : 0,
    name: passkey.name,
    created_at: passkey.createdAt.getTime(),
    last_used_at: passkey.lastUsedAt?.getTime() ?? null,
  };
}

function toPasskeyRecord(row: Selectable<PasskeysTable>): PasskeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: JSON.parse(row.transports) as PasskeyTransport[],
    backupEligible: Number(row.backup_eligible) === 1,
    backedUp: Number(row.backed_up) === 1,
    name: row.name,
    createdAt: new Date(Number(row.created_at)),
    lastUsedAt: row.last_used_at === null ? null : new Date(Number(row.last_used_at)),
  };
}
