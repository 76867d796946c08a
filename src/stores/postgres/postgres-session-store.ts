import type { Transaction } from 'kysely';
import type { Database } from '../sql/database.js';
import { SqlSessionStore, type RevokeArgs } from '../sql/sql-session-store.js';
import { revokeSessionsWithTokens } from './postgres-session-revoker.js';

export class PostgresSessionStore extends SqlSessionStore {
  /**
   * One transaction for the sessions and their refresh tokens. The sessions are locked first, in a
   * fixed order (the order they are reported in): two revocations of one user cannot deadlock, and a
   * rotation in progress in one of them finishes before its tokens are revoked.
   */
  async revoke(args: RevokeArgs): Promise<string[]> {
    if (args.ids !== undefined && args.ids.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', args.userId)
        .where('revoked_at', 'is', null);
      if (args.ids !== undefined) query = query.where('id', 'in', [...args.ids]);
      if (args.exceptId !== undefined) query = query.where('id', '!=', args.exceptId);
      const locked = await query.orderBy('created_at').orderBy('id').forUpdate().execute();
      return revokeInLockOrder(trx, locked, args.reason, args.at);
    });
  }

  /** As revoke: the client's sessions are locked in a fixed order, then revoked with their tokens. */
  async revokeForClient(clientId: string, reason: string, at: Date): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom('sessions')
        .select('id')
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .forUpdate()
        .execute();
      return revokeInLockOrder(trx, locked, reason, at);
    });
  }
}

/** Revokes the locked sessions with their tokens; returns those newly revoked, in lock order. */
async function revokeInLockOrder(
  trx: Transaction<Database>,
  locked: readonly { id: string }[],
  reason: string,
  at: Date,
): Promise<string[]> {
  const ids = locked.map((row) => row.id);
  const revoked = new Set(await revokeSessionsWithTokens(trx, ids, reason, at.getTime()));
  return ids.filter((id) => revoked.has(id));
}
