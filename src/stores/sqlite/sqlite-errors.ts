/** better-sqlite3 raises SqliteError with an extended result code such as SQLITE_CONSTRAINT_UNIQUE. */
export function hasSqliteCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** A UNIQUE violation on `table.column` (SQLite names the column in the message). */
export function isUniqueViolation(error: unknown, tableColumn: string): boolean {
  return hasSqliteCode(error, 'SQLITE_CONSTRAINT_UNIQUE') && (error as Error).message.includes(tableColumn);
}
