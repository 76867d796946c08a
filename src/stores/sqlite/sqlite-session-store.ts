import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import {
  deleteRevocationTombstones,
  insertRevocationTombstones,
  selectRevokedSessions,
} from '../sql/sql-revoked-sessions.js';
import type { NewSession, RevokedSession, SessionRecord, SessionStore } from '../types.js';
import type { Database } from '../sql/database.js';
import { toSessionRecord, toSessionRow } from '../sql/row-mappers.js';
import { prepareSessionRevoker } from './sqlite-session-revoker.js';

type RevokeArgs = Parameters<SessionStore['revoke']>[0];

export class SqliteSessionStore implements SessionStore {
  readonly #db: Kysely<Database>;
  /**
   * revoke() touches two tables, so it runs as one better-sqlite3 transaction (BEGIN IMMEDIATE):
   * synchronous, so nothing else on this connection can interleave, and it takes the write lock up
   * front, so another process sharing the file waits instead of failing half-way.
   */
  readonly #revokeTx: (args: RevokeArgs) => string[];
  readonly #revokeForClientTx: (clientId: string, reason: string, at: Date) => string[];

  constructor(db: Kysely<Database>, raw: BetterSqlite3.Database) {
    this.#db = db;
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

  async create(session: NewSession): Promise<SessionRecord> {
    const row = await this.#db
      .insertInto('sessions')
      .values(toSessionRow(session))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSessionRecord(row);
  }

  async findById(id: string): Promise<SessionRecord | undefined> {
    const row = await this.#db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toSessionRecord(row);
  }

  async listActiveForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    const rows = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('absolute_expires_at', '>', now.getTime())
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSessionRecord);
  }

  async listRevokedSince(after: { revokedAt: Date; id: string }, limit: number): Promise<RevokedSession[]> {
    return selectRevokedSessions(this.#db, after, limit);
  }

  async keepRevocationTombstones(userId: string, since: Date): Promise<number> {
    return insertRevocationTombstones(this.#db, userId, since);
  }

  async pruneRevocationTombstones(before: Date): Promise<number> {
    return deleteRevocationTombstones(this.#db, before);
  }

  async touch(id: string, lastSeenAt: Date, idleExpiresAt: Date | null): Promise<void> {
    await this.#db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt.getTime(), idle_expires_at: idleExpiresAt && idleExpiresAt.getTime() })
      .where('id', '=', id)
      .execute();
  }

  async revoke(args: RevokeArgs): Promise<string[]> {
    return this.#revokeTx(args);
  }

  async revokeForClient(clientId: string, reason: string, at: Date): Promise<string[]> {
    return this.#revokeForClientTx(clientId, reason, at);
  }
}
