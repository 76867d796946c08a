import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../sql/database.js';
import { SqlSessionStore, type RevokeArgs } from '../sql/sql-session-store.js';
import { prepareSessionRevoker } from './sqlite-session-revoker.js';

export class SqliteSessionStore extends SqlSessionStore {
  /**
   * revoke() touches two tables, so it runs as one better-sqlite3 transaction (BEGIN IMMEDIATE):
   * synchronous, so nothing else on this connection can interleave, and it takes the write lock up
   * front, so another process sharing the file waits instead of failing half-way.
   */
  readonly #revokeTx: (args: RevokeArgs) => string[];
  readonly #revokeForClientTx: (clientId: string, reason: string, at: Date) => string[];

  constructor(db: Kysely<Database>, raw: BetterSqlite3.Database) {
    super(db);
    const selectUnrevoked = raw.prepare<[string], { id: string }>(
      'SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at, id',
    );
    const revokeSession = prepareSessionRevoker(raw);
    const revokeTx = raw.transaction((args: RevokeArgs): string[] => {
      const wanted = args.ids === undefined ? undefined : new Set(args.ids);
      return selectUnrevoked
        .all(args.userId)
        .map((row) => row.id)
        .filter((id) => id !== args.exceptId && (wanted === undefined || wanted.has(id)))
        .filter((id) => revokeSession(id, args.reason, args.at.getTime()));
    });
    this.#revokeTx = (args) => revokeTx.immediate(args);
    const selectUnrevokedOfClient = raw.prepare<[string], { id: string }>(
      'SELECT id FROM sessions WHERE client_id = ? AND revoked_at IS NULL ORDER BY created_at, id',
    );
    const revokeForClientTx = raw.transaction((clientId: string, reason: string, at: Date): string[] =>
      selectUnrevokedOfClient
        .all(clientId)
        .map((row) => row.id)
        .filter((id) => revokeSession(id, reason, at.getTime())),
    );
    this.#revokeForClientTx = (clientId, reason, at) => revokeForClientTx.immediate(clientId, reason, at);
  }

  async revoke(args: RevokeArgs): Promise<string[]> {
    return this.#revokeTx(args);
  }

  async revokeForClient(clientId: string, reason: string, at: Date): Promise<string[]> {
    return this.#revokeForClientTx(clientId, reason, at);
  }
}
