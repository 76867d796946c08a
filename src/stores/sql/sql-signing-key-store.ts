import type { Kysely } from 'kysely';
import type { SigningKeyRecord, SigningKeyStore } from '../types.js';
import type { Database } from './database.js';
import { toSigningKeyRecord, toSigningKeyRow } from './row-mappers.js';

export class SqlSigningKeyStore implements SigningKeyStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.#db
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('kid')
      .execute();
    return rows.map(toSigningKeyRecord);
  }

  async insert(record: SigningKeyRecord): Promise<void> {
    await this.#db.insertInto('signing_keys').values(toSigningKeyRow(record)).execute();
  }

  async setState(kid: string, state: SigningKeyRecord['state'], at: Date): Promise<void> {
    await this.#db
      .updateTable('signing_keys')
      .set({ state, state_changed_at: at.getTime() })
      .where('kid', '=', kid)
      .execute();
  }

  async remove(kid: string): Promise<void> {
    await this.#db.deleteFrom('signing_keys').where('kid', '=', kid).execute();
  }

  async replacePrivateJwk(kid: string, privateJwk: string): Promise<void> {
    await this.#db
      .updateTable('signing_keys')
      .set({ private_jwk: privateJwk })
      .where('kid', '=', kid)
      .execute();
  }
}
