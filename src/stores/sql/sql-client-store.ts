import type { Kysely, Selectable } from 'kysely';
import { ClientIdTakenError } from '../types.js';
import type { ClientRecord, ClientStore, OAuthGrantType } from '../types.js';
import type { Database, OAuthClientsTable } from './database.js';

/** OAuth clients over Kysely, shared by the SQLite and PostgreSQL adapters. */
export class SqlClientStore implements ClientStore {
  readonly #db: Kysely<Database>;
  /** True for the primary-key violation on oauth_clients.client_id (the codes differ per driver). */
  readonly #isClientIdTaken: (error: unknown) => boolean;

  constructor(db: Kysely<Database>, isClientIdTaken: (error: unknown) => boolean) {
    this.#db = db;
    this.#isClientIdTaken = isClientIdTaken;
  }

  async create(client: ClientRecord): Promise<ClientRecord> {
    try {
      const row = await this.#db
        .insertInto('oauth_clients')
        .values(toClientRow(client))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toClientRecord(row);
    } catch (error) {
      if (this.#isClientIdTaken(error)) throw new ClientIdTakenError();
      throw error;
    }
  }

  async findById(clientId: string): Promise<ClientRecord | undefined> {
    const row = await this.#db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && toClientRecord(row);
  }

  async list(): Promise<ClientRecord[]> {
    const rows = await this.#db
      .selectFrom('oauth_clients')
      .selectAll()
      .orderBy('created_at')
      .orderBy('client_id')
      .execute();
    return rows.map(toClientRecord);
  }

  async remove(clientId: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('oauth_clients')
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toClientRow(client: ClientRecord): OAuthClientsTable {
  return {
    client_id: client.clientId,
    name: client.name,
    type: client.type,
    secret_hash: client.secretHash,
    grant_types: JSON.stringify(client.grantTypes),
    scopes: JSON.stringify(client.scopes),
    created_at: client.createdAt.getTime(),
  };
}

function toClientRecord(row: Selectable<OAuthClientsTable>): ClientRecord {
  return {
    clientId: row.client_id,
    name: row.name,
    type: row.type,
    secretHash: row.secret_hash,
    grantTypes: JSON.parse(row.grant_types) as OAuthGrantType[],
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: new Date(Number(row.created_at)),
  };
}
