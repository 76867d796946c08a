/**
 * Failures that mean "the store cannot answer right now" (busy, I/O error, closed, connection lost):
 * the HTTP edge answers them with 503 and Retry-After instead of 500, because retrying later can work.
 * Adapters may throw StoreUnavailableError themselves; driver errors are recognised by their codes.
 */
export class StoreUnavailableError extends Error {
  constructor(message = 'The store is unavailable.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

const UNAVAILABLE_CODES = new Set([
  // SQLite (better-sqlite3 SqliteError.code): another writer held the lock past busy_timeout, disk trouble.
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  // Node sockets (network stores).
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    [...UNAVAILABLE_CODES].some((known) => code === known || code.startsWith(`${known}_`))
  ) {
    return true;
  }
  // Closed under a running server: better-sqlite3 throws this TypeError, Kysely this Error.
  if (error instanceof TypeError && error.message === 'The database connection is not open') return true;
  return error instanceof Error && error.message === 'driver has already been destroyed';
}
