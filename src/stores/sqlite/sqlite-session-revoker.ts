import type BetterSqlite3 from 'better-sqlite3';

/** Revokes one session and its refresh tokens; true when the session was not revoked before. */
export type RevokeSession = (sessionId: string, reason: string, atMs: number) => boolean;

/**
 * The statements shared by SessionStore.revoke and rotation's revoke-family, prepared once. Call the
 * result only inside a better-sqlite3 transaction, so the session and its tokens change together.
 */
export function prepareSessionRevoker(db: BetterSqlite3.Database): RevokeSession {
  const revokeSession = db.prepare<[number, string, string]>(
    'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const revokeTokens = db.prepare<[number, string]>(
    'UPDATE refresh_tokens SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL',
  );
  return (sessionId, reason, atMs) => {
    if (revokeSession.run(atMs, reason, sessionId).changes === 0) return false;
    revokeTokens.run(atMs, sessionId);
    return true;
  };
}
