import type { Transaction } from 'kysely';
import type { Database } from '../sql/database.js';

/**
 * Revokes the given sessions that are not revoked yet, and every unrevoked refresh token bound to them;
 * returns the ids newly revoked. Shared by SessionStore.revoke and rotation's revoke-family. Call it
 * inside a transaction that holds the sessions' row locks: the tokens UPDATE then runs after any
 * rotation in those sessions has committed, so it also catches a successor inserted a moment ago.
 */
export async function revokeSessionsWithTokens(
  trx: Transaction<Database>,
  sessionIds: readonly string[],
  reason: string,
  atMs: number,
): Promise<string[]> {
  if (sessionIds.length === 0) return [];
  const revoked = await trx
    .updateTable('sessions')
    .set({ revoked_at: atMs, revoked_reason: reason })
    .where('id', 'in', [...sessionIds])
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  const ids = revoked.map((row) => row.id);
  if (ids.length === 0) return [];
  await trx
    .updateTable('refresh_tokens')
    .set({ revoked_at: atMs })
    .where('session_id', 'in', ids)
    .where('revoked_at', 'is', null)
    .execute();
  return ids;
}
