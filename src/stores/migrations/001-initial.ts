import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { sqlDialectOf } from './sql-dialect.js';

/**
 * The first schema. Kept to types PostgreSQL shares: text, integer, bigint
 * (times in milliseconds since the epoch). SQLite gives `bigint` INTEGER affinity. The one
 * dialect-specific column is audit_events.id (autoincrement here; an identity column in PostgreSQL).
 */
const TABLES_CHILD_FIRST = [
  'ephemeral',
  'secrets',
  'audit_events',
  'signing_keys',
  'refresh_tokens',
  'sessions',
  'users',
];

export const initialMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createUsers(db);
    await createSessions(db);
    await createRefreshTokens(db);
    await createSigningKeys(db);
    await createAuditEvents(db);
    await db.schema
      .createTable('secrets')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('value', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createTable('ephemeral')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('value', 'text')
      .addColumn('count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('ephemeral_expires_at_idx').on('ephemeral').column('expires_at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    // Children before parents, so no foreign key points at a dropped table.
    for (const table of TABLES_CHILD_FIRST) await db.schema.dropTable(table).execute();
  },
};

async function createUsers(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (col) => col.primaryKey())
    // Normalised by the flow (trimmed, lower-cased) before it gets here.
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('roles', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('disabled', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('failed_login_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('users_disabled_check', sql`disabled in (0, 1)`)
    .execute();
}

async function createSessions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('idle_expires_at', 'bigint')
    .addColumn('absolute_expires_at', 'bigint', (col) => col.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_reason', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .addCheckConstraint('sessions_kind_check', sql`kind in ('jwt', 'session')`)
    .execute();
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();
}

async function createRefreshTokens(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('session_id', 'text', (col) => col.notNull().references('sessions.id').onDelete('cascade'))
    // UNIQUE: a token has at most one successor, so a family never forks, whatever the code above does.
    .addColumn('parent_id', 'text', (col) => col.unique())
    .addColumn('token_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('refresh_tokens_session_id_idx')
    .on('refresh_tokens')
    .column('session_id')
    .execute();
}

async function createSigningKeys(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (col) => col.primaryKey())
    .addColumn('alg', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('private_jwk', 'text', (col) => col.notNull())
    .addColumn('public_jwk', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('signing_keys_state_check', sql`state in ('next', 'current', 'retired')`)
    .execute();
}

async function createAuditEvents(db: Kysely<unknown>): Promise<void> {
  // An ever-growing key that breaks ties between events of the same millisecond. SQLite: INTEGER PRIMARY
  // KEY AUTOINCREMENT (64-bit). PostgreSQL has no AUTOINCREMENT: a bigint identity, read as a number.
  const postgres = sqlDialectOf(db) === 'postgres';
  await db.schema
    .createTable('audit_events')
    .addColumn('id', postgres ? 'bigint' : 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text')
    .addColumn('session_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('detail', 'text')
    .execute();
  // A user's history, newest first; and the global feed, newest first.
  await db.schema
    .createIndex('audit_events_user_id_at_idx')
    .on('audit_events')
    .columns(['user_id', 'at'])
    .execute();
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute();
}
