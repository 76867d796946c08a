import { errorCodeOf, isSocketUnavailable } from '../socket-errors.js';
import { isKyselyDestroyed } from '../sql/kysely-errors.js';

/** PostgreSQL reports errors with a five-character SQLSTATE in `code`, and names the violated constraint. */
const UNIQUE_VIOLATION = '23505';

/**
 * A UNIQUE violation of the named constraint. PostgreSQL names an unnamed column constraint
 * `<table>_<column>_key`, e.g. `users_email_key` for users.email in migrations/001-initial.ts.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && violated === constraint;
}

/**
 * SQLSTATEs that mean the server cannot serve us right now, not that the query is wrong: class 08
 * connection exceptions, a server shutting down or starting up, no free connection slot.
 */
const UNAVAILABLE_SQLSTATES = new Set([
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

/** The PostgreSQL adapter's recogniser of "unavailable" (translated at its boundary, create-postgres-stores.ts). */
export function isPostgresUnavailable(error: unknown): boolean {
  const code = errorCodeOf(error);
  if (code !== undefined && UNAVAILABLE_SQLSTATES.has(code)) return true;
  if (isSocketUnavailable(error) || isKyselyDestroyed(error)) return true;
  return error instanceof Error && PG_UNAVAILABLE_MESSAGES.has(error.message);
}
