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
  // PostgreSQL SQLSTATEs (pg error.code) that mean the server cannot serve us right now, not that the
  // query is wrong: class 08 connection exceptions, a server shutting down or starting up, no free slot.
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, or in recovery)
]);

/** pg's own errors for a lost or unobtainable connection carry no code, only these messages. */
const PG_UNAVAILABLE_MESSAGES = new Set([
  'timeout exceeded when trying to connect',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
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
  if (error instanceof Error && isRedisUnavailable(error)) return true;
  if (error instanceof Error && PG_UNAVAILABLE_MESSAGES.has(error.message)) return true;
  return error instanceof Error && error.message === 'driver has already been destroyed';
}

/**
 * ioredis gives its client-side failures no code, only a name or a fixed message: the connection is
 * down (no offline queue, so commands fail at once), was lost with the command in flight, or the
 * command timed out. Redis itself answers these replies while it cannot serve for a moment.
 */
const IOREDIS_UNAVAILABLE_MESSAGES = new Set([
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
]);
const REDIS_TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN) /;

function isRedisUnavailable(error: Error): boolean {
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (IOREDIS_UNAVAILABLE_MESSAGES.has(error.message)) return true;
  return error.name === 'ReplyError' && REDIS_TRANSIENT_REPLY.test(error.message);
}
