import type { Kysely } from 'kysely';
import type {
  NewSession,
  RevocationSelection,
  RevokedSession,
  SessionRecord,
  SessionStore,
} from '../types.js';
import type { Database } from './database.js';
import { toSessionRecord, toSessionRow } from './row-mappers.js';
import {
  deleteRevocationTombstones,
  insertRevocationTombstones,
  selectRevokedSessions,
} from './sql-revoked-sessions.js';

export type RevokeArgs = Parameters<SessionStore['revoke']>[0];

/**
 * What SQLite and PostgreSQL do alike with sessions: every single-statement step. Only the revocations
 * differ, because they touch two tables in one transaction: better-sqlite3's synchronous BEGIN IMMEDIATE
 * on SQLite, row locks taken in a fixed order on PostgreSQL.
 */
export abstract class SqlSessionStore implements SessionStore {
  protected readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  abstract revoke(args: RevokeArgs): Promise<string[]>;
  abstract revokeForClient(clientId: string, reason: string, at: Date): Promise<string[]>;

  async create(session: NewSession): Promise<SessionRecord> {
    const row = await this.db
      .insertInto('sessions')
      .values(toSessionRow(session))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSessionRecord(row);
  }

  async findById(id: string): Promise<SessionRecord | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toSessionRecord(row);
  }

  async listActiveForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    const rows = await this.db
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
    return selectRevokedSessions(this.db, after, limit);
  }

  async listRevokedSelected(selection: RevocationSelection, since: Date): Promise<string[]> {
    if ('userId' in selection && selection.ids !== undefined && selection.ids.length === 0) return [];
    let query = this.db
      .selectFrom('sessions')
      .select('id')
      .where('revoked_at', '>=', since.getTime())
      .orderBy('revoked_at')
      .orderBy('id');
    if ('clientId' in selection)
      return pluckIds(await query.where('client_id', '=', selection.clientId).execute());
    query = query.where('user_id', '=', selection.userId);
    if (selection.ids !== undefined) query = query.where('id', 'in', [...selection.ids]);
    if (selection.exceptId !== undefined) query = query.where('id', '!=', selection.exceptId);
    return pluckIds(await query.execute());
  }

  async keepRevocationTombstones(userId: string, since: Date): Promise<number> {
    return insertRevocationTombstones(this.db, userId, since);
  }

  async pruneRevocationTombstones(before: Date): Promise<number> {
    return deleteRevocationTombstones(this.db, before);
  }

  async touch(id: string, lastSeenAt: Date, idleExpiresAt: Date | null): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt.getTime(), idle_expires_at: idleExpiresAt && idleExpiresAt.getTime() })
      .where('id', '=', id)
      .execute();
  }
}

function pluckIds(rows: readonly { id: string }[]): string[] {
  return rows.map((row) => row.id);
}
