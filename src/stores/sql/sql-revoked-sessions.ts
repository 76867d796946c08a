import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { RevokedSession } from '../types.js';

/**
 * SessionStore.listRevokedSince over Kysely, shared by the SQLite and PostgreSQL adapters: revoked
 * JWT-mode sessions plus the tombstones of sessions deleted with their user (migration 005), in
 * keyset order on (revoked_at, id), each side served by its own index (migrations 004 and 005).
 * Session-mode sessions are left out: no access token names them, and their ids are half of a session
 * token. UNION (not UNION ALL) folds a session that is both still stored and tombstoned into one row.
 */
export async function selectRevokedSessions(
  db: Kysely<Database>,
  after: { revokedAt: Date; id: string },
  limit: number,
): Promise<RevokedSession[]> {
  const afterMs = after.revokedAt.getTime();
  const sessions = db
    .selectFrom('sessions')
    .select(['id', 'revoked_at'])
    .where('kind', '=', 'jwt')
    .where('revoked_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('revoked_at', '>', afterMs),
        eb.and([eb('revoked_at', '=', afterMs), eb('id', '>', after.id)]),
      ]),
    )
    .orderBy('revoked_at')
    .orderBy('id')
    .limit(limit);
  const tombstones = db
    .selectFrom('revocation_tombstones')
    .select(['session_id as id', 'revoked_at'])
    .where((eb) =>
      eb.or([
        eb('revoked_at', '>', afterMs),
        eb.and([eb('revoked_at', '=', afterMs), eb('session_id', '>', after.id)]),
      ]),
    )
    .orderBy('revoked_at')
    .orderBy('session_id')
    .limit(limit);
  // Each side is cut to `limit` on its index before the union, so a long backlog is never sorted whole.
  const rows = await db
    .selectFrom(
      db
        .selectFrom(sessions.as('s'))
        .selectAll()
        .union(db.selectFrom(tombstones.as('t')).selectAll())
        .as('revoked'),
    )
    .selectAll()
    .orderBy('revoked_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, revokedAt: new Date(Number(row.revoked_at)) }));
}

/** SessionStore.keepRevocationTombstones: copies the user's revoked JWT sessions since `since`. */
export async function insertRevocationTombstones(
  db: Kysely<Database>,
  userId: string,
  since: Date,
): Promise<number> {
  const result = await db
    .insertInto('revocation_tombstones')
    .columns(['session_id', 'revoked_at'])
    .expression(
      db
        .selectFrom('sessions')
        .select(['id', 'revoked_at'])
        .where('user_id', '=', userId)
        .where('kind', '=', 'jwt')
        .where('revoked_at', '>=', since.getTime())
        .$narrowType<{ revoked_at: number }>(),
    )
    .onConflict((conflict) => conflict.column('session_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** SessionStore.pruneRevocationTombstones. */
export async function deleteRevocationTombstones(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('revocation_tombstones')
    .where('revoked_at', '<', before.getTime())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
