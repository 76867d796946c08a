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
