import type { Kysely } from 'kysely';
import {
  deleteRevocationTombstones,
  insertRevocationTombstones,
  selectRevokedSessions,
} from '../sql/sql-revoked-sessions.js';
import type { NewSession, RevokedSession, SessionRecord, SessionStore } from '../types.js';
import type { Database } from '../sql/database.js';
import { revokeSessionsWithTokens } from './postgres-session-revoker.js';
import { toSessionRecord, toSessionRow } from '../sql/row-mappers.js';

type RevokeArgs = Parameters<SessionStore['revoke']>[0];

export class PostgresSessionStore implements SessionStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
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

  /**
   * One transaction for the sessions and their refresh tokens. The sessions are locked first, in a
   * fixed order (the order they are reported in): two revocations of one user cannot deadlock, and a
   * rotation in progress in one of them finishes before its tokens are revoked.
   */
  async revoke(args: RevokeArgs): Promise<string[]> {
    if (args.ids !== undefined && args.ids.length === 0) return [];
    return this.#db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', args.userId)
        .where('revoked_at', 'is', null);
      if (args.ids !== undefined) query = query.where('id', 'in', [...args.ids]);
      if (args.exceptId !== undefined) query = query.where('id', '!=', args.exceptId);
      const locked = await query.orderBy('created_at').orderBy('id').forUpdate().execute();
      const revoked = new Set(
        await revokeSessionsWithTokens(
          trx,
          locked.map((row) => row.id),
          args.reason,
          args.at.getTime(),
        ),
      );
      return locked.map((row) => row.id).filter((id) => revoked.has(id));
    });
  }

  /** As revoke: the client's sessions are locked in a fixed order, then revoked with their tokens. */
  async revokeForClient(clientId: string, reason: string, at: Date): Promise<string[]> {
    return this.#db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom('sessions')
        .select('id')
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .forUpdate()
        .execute();
      const ids = locked.map((row) => row.id);
      const revoked = new Set(await revokeSessionsWithTokens(trx, ids, reason, at.getTime()));
      return ids.filter((id) => revoked.has(id));
    });
  }
}
