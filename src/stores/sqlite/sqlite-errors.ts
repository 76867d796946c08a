import { errorCodeOf } from '../socket-errors.js';
import { isKyselyDestroyed } from '../sql/kysely-errors.js';

/** better-sqlite3 raises SqliteError with an extended result code such as SQLITE_CONSTRAINT_UNIQUE. */
export function hasSqliteCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** A UNIQUE violation on `table.column` (SQLite names the column in the message). */
export function isUniqueViolation(error: unknown, tableColumn: string): boolean {
  return hasSqliteCode(error, 'SQLITE_CONSTRAINT_UNIQUE') && (error as Error).message.includes(tableColumn);
}

/**
 * Codes that mean the database cannot answer right now, not that the query is wrong: another writer
 * held the lock past busy_timeout, disk trouble. Extended codes (SQLITE_IOERR_WRITE) count too.
 */
const UNAVAILABLE_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN'];

/** The SQLite adapter's recogniser of "unavailable" (translated at its boundary, create-sqlite-stores.ts). */
export function isSqliteUnavailable(error: unknown): boolean {
  const code = errorCodeOf(error);
  if (code !== undefined && UNAVAILABLE_CODES.some((known) => code === known || code.startsWith(`${known}_`)))
    return true;
  // Closed under a running server: better-sqlite3 throws this TypeError, Kysely its own error.
  if (error instanceof TypeError && error.message === 'The database connection is not open') return true;
  return isKyselyDestroyed(error);
}
