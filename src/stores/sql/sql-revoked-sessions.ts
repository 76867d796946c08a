import type { Kysely } from 'kysely';
import type { Database } from '../sqlite/database.js';
import type { RevokedSession } from '../types.js';

/**
 * SessionStore.listRevokedSince over Kysely, shared by the SQLite and PostgreSQL adapters: keyset
 * pagination on (revoked_at, id), served by the index of migration 004. Session-mode sessions are left
 * out: no access token names them, and their ids are half of a session token.
 */
export async function selectRevokedSessions(
  db: Kysely<Database>,
  after: { revokedAt: Date; id: string },
  limit: number,
): Promise<RevokedSession[]> {
  const afterMs = after.revokedAt.getTime();
  const rows = await db
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
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, revokedAt: new Date(Number(row.revoked_at)) }));
}
