import type { Kysely, Migration } from 'kysely';

/**
 * OAuth clients and the binding of a session to the client it was granted to.
 * - oauth_clients: registered clients (CLI); a confidential client's secret is stored only as its
 *   SHA-256 (secrets are generated with 256 bits, so a fast hash is enough: docs/decisions/0012).
 * - sessions.client_id / sessions.scope: null for the first-party /auth/* endpoints; set by
 *   /oauth/token, so a refresh token issued to one client is refused for another (RFC 6749 §6).
 * Plain columns and a plain table, written the same way on SQLite and PostgreSQL.
 */
export const oauthClientsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('oauth_clients')
      .addColumn('client_id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('secret_hash', 'text')
      .addColumn('grant_types', 'text', (col) => col.notNull().defaultTo('[]'))
      .addColumn('scopes', 'text', (col) => col.notNull().defaultTo('[]'))
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema.alterTable('sessions').addColumn('client_id', 'text').execute();
    await db.schema.alterTable('sessions').addColumn('scope', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('sessions').dropColumn('scope').execute();
    await db.schema.alterTable('sessions').dropColumn('client_id').execute();
    await db.schema.dropTable('oauth_clients').execute();
  },
};
