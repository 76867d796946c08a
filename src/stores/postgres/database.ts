/**
 * PostgreSQL runs the same migrations as SQLite (one schema, DESIGN.md "Data"), so Kysely sees the same
 * tables. The pool's type parsers (postgres-type-parsers.ts) make rows match too: bigint times come
 * back as numbers of milliseconds, exactly as SQLite returns them.
 */
export type { Database } from '../sqlite/database.js';
