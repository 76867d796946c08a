import type Database from 'better-sqlite3';
import type { ReplaceRecoveryCodes } from '../sql/sql-second-factor-store.js';

/**
 * SQLite: the recovery-code replacement as one synchronous better-sqlite3 transaction on the shared
 * connection (BEGIN IMMEDIATE), so no other statement can run between the delete and the inserts.
 */
export function replaceRecoveryCodesOnSqlite(raw: Database.Database): ReplaceRecoveryCodes {
  const remove = raw.prepare('DELETE FROM recovery_codes WHERE user_id = ?');
  const insert = raw.prepare(
    'INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) VALUES (?, ?, ?, NULL)',
  );
  const replace = raw.transaction((userId: string, codeHashes: readonly string[], atMs: number) => {
    remove.run(userId);
    for (const codeHash of codeHashes) insert.run(userId, codeHash, atMs);
  });
  return async (userId, codeHashes, at) => {
    replace.immediate(userId, codeHashes, at.getTime());
  };
}
