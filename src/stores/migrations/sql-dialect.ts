import { PostgresIntrospector, SqliteIntrospector } from 'kysely';
import type { Kysely } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * Which SQL dialect a migration runs on, for the few definitions that cannot be written the same way in
 * both (an auto-numbered key). Read from Kysely's public introspector, which also works inside the
 * migration's transaction; any other dialect is refused rather than guessed.
 */
export function sqlDialectOf(db: Kysely<unknown>): SqlDialect {
  const introspector = db.introspection;
  if (introspector instanceof PostgresIntrospector) return 'postgres';
  if (introspector instanceof SqliteIntrospector) return 'sqlite';
  throw new TypeError('Tessera migrations support SQLite and PostgreSQL only.');
}
